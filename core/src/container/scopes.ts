import 'reflect-metadata';
import { container as globalContainer, type DependencyContainer } from 'tsyringe';
import type { ServiceRef } from '@lpx/sdk';

/**
 * The composition root's containers. Tokens are service-ref ids (strings), so
 * two copies of the sdk interoperate and nothing relies on decorator metadata.
 * Kernel singletons are registered as ready-made instances: a lazily built
 * root singleton would be constructed by whichever plugin's child resolved it
 * first and could capture that plugin's scoped services.
 */
export class ContainerScopes {
  readonly #root: DependencyContainer;
  readonly #children = new Map<string, DependencyContainer>();

  constructor() {
    this.#root = globalContainer.createChildContainer();
  }

  registerRoot<T>(ref: ServiceRef<T>, instance: T): void {
    this.#root.registerInstance<T>(ref.id, instance);
  }

  /** One child per plugin; plugin-scoped services are registered as values in it. */
  childFor(pluginId: string): DependencyContainer {
    let child = this.#children.get(pluginId);
    if (!child) {
      child = this.#root.createChildContainer();
      this.#children.set(pluginId, child);
    }
    return child;
  }

  resolve<T>(pluginId: string, ref: ServiceRef<T>): T {
    return this.childFor(pluginId).resolve<T>(ref.id);
  }

  async dispose(): Promise<void> {
    for (const child of [...this.#children.values()].reverse()) await child.dispose();
    this.#children.clear();
    await this.#root.dispose();
  }
}
