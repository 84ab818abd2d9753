/**
 * Callers of `OrchestratorPool.untilUsable` waiting for a first usable reply
 * of their (capability, model) while a discovery round runs: each stored reply
 * is checked against the waiters alone (no pass over the pool), and the
 * round's end releases whoever is left.
 */
export interface Waiter {
  readonly capabilityId: string;
  readonly model: string | undefined;
}

export class UsableWaiters {
  readonly #waiting = new Map<Waiter, () => void>();

  get size(): number {
    return this.#waiting.size;
  }

  wait(waiter: Waiter, until: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#waiting.set(waiter, resolve);
      void until.finally(() => this.#release(waiter));
    });
  }

  /** Releases every waiter `serves` says one new reply is usable for. */
  wake(serves: (waiter: Waiter) => boolean): void {
    for (const waiter of [...this.#waiting.keys()]) if (serves(waiter)) this.#release(waiter);
  }

  #release(waiter: Waiter): void {
    const resolve = this.#waiting.get(waiter);
    this.#waiting.delete(waiter);
    resolve?.();
  }
}
