/**
 * The kernel's side of `ai.executors`: plugins that can run AI requests
 * (managed runner containers, external runner URLs, remote go-livepeer AI
 * workers) add an executor during init; the set is fixed after boot, only
 * their offers move.
 */
import { errors, type AIExecutor, type AIExecutorsExtensionPoint } from '@lpx/sdk';

export class AIExecutorRegistry implements AIExecutorsExtensionPoint {
  readonly #executors = new Map<string, AIExecutor>();

  addExecutor(executor: AIExecutor): void {
    const name = executor?.name;
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
      throw errors.plugin.REGISTER_INVALID.create(`an AI executor needs a lowercase name ([a-z0-9._-]), got ${JSON.stringify(name)}`);
    }
    if (this.#executors.has(name)) throw errors.ai.EXECUTOR_DUPLICATE.create(`two plugins added an AI executor named "${name}"`, { details: { executor: name } });
    this.#executors.set(name, executor);
  }

  get size(): number {
    return this.#executors.size;
  }

  get(name: string): AIExecutor | undefined {
    return this.#executors.get(name);
  }

  list(): AIExecutor[] {
    return [...this.#executors.values()];
  }
}
