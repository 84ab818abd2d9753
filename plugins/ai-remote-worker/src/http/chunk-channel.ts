/**
 * The hand-off between a worker streaming an LLM answer into /aiResults and
 * whoever relays it to the gateway: an async iterable with a bounded buffer.
 * When the reader falls behind, push() returns a promise the writer awaits,
 * so a slow gateway slows the worker's upload instead of growing memory.
 */
export const DEFAULT_CHUNK_BUFFER = 100;

export class ChunkChannel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private ended = false;
  private abandoned = false;
  private failure: Error | undefined;
  private wakeReader: (() => void) | undefined;
  private wakeWriter: (() => void) | undefined;
  private readonly endCallbacks: (() => void)[] = [];
  private finished = false;

  constructor(private readonly limit = DEFAULT_CHUNK_BUFFER) {}

  /** True once the reader stopped iterating; the writer should stop reading its source. */
  get isAbandoned(): boolean {
    return this.abandoned;
  }

  async push(chunk: T): Promise<void> {
    if (this.ended || this.abandoned) return;
    this.buffer.push(chunk);
    this.wake();
    while (this.buffer.length >= this.limit && !this.abandoned) {
      await new Promise<void>((resolve) => (this.wakeWriter = resolve));
    }
  }

  /** Ends the stream; with an error, the reader's next step rejects with it. */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.wake();
    this.finish();
  }

  /** Runs once, when the writer ended or the reader walked away, whichever is first. */
  onFinish(callback: () => void): void {
    if (this.finished) callback();
    else this.endCallbacks.push(callback);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        if (this.buffer.length > 0) {
          const next = this.buffer.shift() as T;
          this.wakeWriter?.();
          this.wakeWriter = undefined;
          yield next;
          continue;
        }
        if (this.ended) {
          if (this.failure !== undefined) throw this.failure;
          return;
        }
        await new Promise<void>((resolve) => (this.wakeReader = resolve));
      }
    } finally {
      if (!this.ended) {
        this.abandoned = true;
        this.wakeWriter?.();
        this.finish();
      }
    }
  }

  private wake(): void {
    this.wakeReader?.();
    this.wakeReader = undefined;
  }

  private finish(): void {
    this.finished = true;
    for (const callback of this.endCallbacks.splice(0)) callback();
  }
}
