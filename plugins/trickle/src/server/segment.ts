/**
 * One segment of a channel: the chunks as the publisher's request delivered
 * them (kept by reference, never concatenated), and the readers waiting for
 * more. Every subscriber has its own cursor, so a slow one never holds back
 * the publisher or the others; memory is bounded by the channel's ring.
 */
export class Segment {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #closed = false;
  #waiters: (() => void)[] = [];

  constructor(readonly seq: number) {}

  get size(): number {
    return this.#size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Not written to and not closed: a preconnect's placeholder a publisher may take over. */
  get fresh(): boolean {
    return !this.#closed && this.#size === 0;
  }

  write(chunk: Buffer): void {
    if (this.#closed || chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    this.#wake();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake();
  }

  cursor(): SegmentCursor {
    return new SegmentCursor(this);
  }

  /** @internal chunk `index`, or undefined when not (yet) written. */
  chunk(index: number): Buffer | undefined {
    return this.#chunks[index];
  }

  /** @internal resolves when chunk `index` exists or the segment closed; rejects when `signal` aborts. */
  changed(index: number, signal?: AbortSignal): Promise<void> {
    if (index < this.#chunks.length || this.#closed) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((w) => w !== wake);
        reject(signal!.reason);
      };
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(wake);
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** A reader's position in a segment: every chunk once, in order, then end. */
export class SegmentCursor {
  #index = 0;

  constructor(private readonly segment: Segment) {}

  /** The next chunk, or undefined once the segment is closed and read to its end. */
  async next(signal?: AbortSignal): Promise<Buffer | undefined> {
    for (;;) {
      const chunk = this.segment.chunk(this.#index);
      if (chunk !== undefined) {
        this.#index++;
        return chunk;
      }
      if (this.segment.closed) return undefined;
      await this.segment.changed(this.#index, signal);
    }
  }
}
