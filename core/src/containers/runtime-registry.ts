/**
 * The kernel's side of `containers.runtimes`: plugins add runtimes during
 * init, the kernel locks the point with its other points, then picks one.
 */
import { errors, type ContainerRuntime, type ContainerRuntimesExtensionPoint } from '@lpx/sdk';
import { unknownContainerRuntime } from '../config/start-refusals.js';

export class ContainerRuntimeRegistry implements ContainerRuntimesExtensionPoint {
  readonly #runtimes = new Map<string, ContainerRuntime>();

  addRuntime(runtime: ContainerRuntime): void {
    const name = runtime?.name;
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
      throw errors.plugin.REGISTER_INVALID.create(`a container runtime needs a lowercase name ([a-z0-9._-]), got ${JSON.stringify(name)}`);
    }
    if (this.#runtimes.has(name)) throw errors.containers.RUNTIME_DUPLICATE.create(`two plugins added a container runtime named "${name}"`, { details: { runtime: name } });
    this.#runtimes.set(name, runtime);
  }

  get names(): string[] {
    return [...this.#runtimes.keys()];
  }

  get(name: string): ContainerRuntime | undefined {
    return this.#runtimes.get(name);
  }

  /**
   * The runtime this node uses: the configured one, else the only one added.
   * A name no plugin adds, or a choice left open between several, is a boot
   * error; no runtime at all is not (plugins asking get UNAVAILABLE).
   */
  pick(configured: string | undefined): ContainerRuntime | undefined {
    if (configured !== undefined) {
      const runtime = this.#runtimes.get(configured);
      if (runtime === undefined) {
        throw unknownContainerRuntime(configured, this.names);
      }
      return runtime;
    }
    if (this.#runtimes.size > 1) {
      throw errors.containers.RUNTIME_UNKNOWN.create(`several container runtimes are added (${this.names.join(', ')}): set containers.runtime to one of them`, { details: { added: this.names } });
    }
    return this.#runtimes.values().next().value;
  }
}
