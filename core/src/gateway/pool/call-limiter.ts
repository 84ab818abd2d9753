/**
 * At most `limit` calls running at once, the rest waiting in arrival order.
 * The pool's discovery fan-out goes through one: hundreds of orchestrators
 * are asked without hundreds of handshakes competing for the CPU at once, and
 * a call's own timeout starts when it runs, not while it waits.
 */
export class CallLimiter {
  readonly #limit: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`call limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await call();
    } finally {
      // The slot passes straight to the next waiter, so `running` never dips below the limit while calls wait.
      const next = this.#waiting.shift();
      if (next !== undefined) next();
      else this.#running--;
    }
  }
}
