/**
 * A controller whose signal also aborts when `parent` does (with the
 * parent's reason); `release()` once the work is over drops the listener.
 * One controller and one listener, not `AbortSignal.any`: on Node 20 `any`
 * costs ~18 µs per call (weak references and finalization bookkeeping)
 * against ~4 µs for this, paid per job on the gateway's hot path.
 */
export class LinkedAbort {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  readonly #onParentAbort = (): void => this.#controller.abort(this.#parent?.reason);

  constructor(parent?: AbortSignal) {
    this.#parent = parent;
    if (parent?.aborted === true) this.#controller.abort(parent.reason);
    else parent?.addEventListener('abort', this.#onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    this.#controller.abort(reason);
  }

  release(): void {
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }
}
