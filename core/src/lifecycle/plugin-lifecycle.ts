import type { LifecycleHook, LifecycleService } from '@lpx/sdk';

/** One per plugin: collects its start/stop hooks; the kernel decides when they run. */
export class PluginLifecycle implements LifecycleService {
  readonly startHooks: LifecycleHook[] = [];
  readonly shutdownHooks: LifecycleHook[] = [];
  readonly #controller: AbortController;

  constructor(controller: AbortController) {
    this.#controller = controller;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  onStart(hook: LifecycleHook): void {
    this.startHooks.push(hook);
  }

  onShutdown(hook: LifecycleHook): void {
    this.shutdownHooks.push(hook);
  }
}
