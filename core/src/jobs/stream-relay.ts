/**
 * LLM streams from a worker process to the orchestrator process: one Redis
 * stream per request (`<prefix>:ai:stream:<jobId>`). The worker appends
 * `start`, one `data` entry per SSE event, then `end` (or `error` when the
 * runner dies mid-stream); the orchestrator reads with a blocking XREAD,
 * so an event is relayed as soon as it is appended, in order, without every
 * listener on the queue seeing every token (as BullMQ progress events
 * would). The key expires on its own if nobody reads it (docs/adr/0031).
 */
import type { Redis } from 'ioredis';

export type RelayEntry =
  | { readonly t: 'start'; readonly executor: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly t: 'data'; readonly d: Readonly<Record<string, unknown>> }
  | { readonly t: 'end' }
  | { readonly t: 'error'; readonly code: string; readonly message: string };

/** Unread streams vanish after this long. */
export const RELAY_TTL_SECONDS = 600;

export function relayKey(prefix: string, jobId: string): string {
  return `${prefix}:ai:stream:${jobId}`;
}

export class RelayWriter {
  readonly #redis: Redis;
  readonly #key: string;
  #expirySet = false;

  constructor(redis: Redis, key: string) {
    this.#redis = redis;
    this.#key = key;
  }

  async append(entry: RelayEntry): Promise<void> {
    // One round trip per event; the TTL is set once, with the first.
    if (this.#expirySet) {
      await this.#redis.xadd(this.#key, '*', 'e', JSON.stringify(entry));
      return;
    }
    this.#expirySet = true;
    await this.#redis.multi().xadd(this.#key, '*', 'e', JSON.stringify(entry)).expire(this.#key, RELAY_TTL_SECONDS).exec();
  }
}

/** Reads one request's stream from the start; `read` blocks up to `blockMs` for the next entries. */
export class RelayReader {
  readonly #redis: Redis;
  readonly #key: string;
  #lastId = '0-0';

  /** `redis` must be a connection of its own: XREAD BLOCK holds it. */
  constructor(redis: Redis, key: string) {
    this.#redis = redis;
    this.#key = key;
  }

  async read(blockMs: number): Promise<RelayEntry[]> {
    const reply = (await this.#redis.xread('COUNT', 256, 'BLOCK', blockMs, 'STREAMS', this.#key, this.#lastId)) as [string, [string, string[]][]][] | null;
    const out: RelayEntry[] = [];
    for (const [, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        this.#lastId = id;
        const raw = fields[fields.indexOf('e') + 1];
        if (raw === undefined) continue;
        try {
          out.push(JSON.parse(raw) as RelayEntry);
        } catch {
          // not ours
        }
      }
    }
    return out;
  }

  async remove(): Promise<void> {
    await this.#redis.del(this.#key);
  }
}

/** How often a reader looks up from its blocking read to see whether the job ended without streaming. */
export const RELAY_POLL_MS = 250;

export type RelayOpening<R> =
  | { readonly kind: 'result'; readonly result: R }
  | { readonly kind: 'stream'; readonly first: RelayEntry; readonly rest: AsyncGenerator<RelayEntry> };

/**
 * Waits for a job's first stream entry or its end, whichever comes first: a
 * worker that answers whole, or fails before streaming, ends the job with its
 * result and nothing on the stream. `rest` yields the entries after the
 * first up to `end` or `error` (included); it throws `unended()` if the job
 * ends first. `close` (remove the key, drop the connection) runs once: when
 * a result comes, on a failure, or when `rest` finishes.
 */
export async function openRelay<R>(reader: RelayReader, done: Promise<R>, close: () => Promise<void>, unended: () => Error): Promise<RelayOpening<R>> {
  let settled: { result?: R; error?: unknown } | undefined;
  done.then(
    (result) => (settled = { result }),
    (error: unknown) => (settled = { error }),
  );
  let closed = false;
  const closeOnce = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  let pending: RelayEntry[] = [];
  try {
    while (pending.length === 0) {
      const ended = settled;
      pending = await reader.read(RELAY_POLL_MS);
      if (pending.length === 0 && ended !== undefined) {
        await closeOnce();
        if (ended.error !== undefined) throw ended.error;
        return { kind: 'result', result: ended.result as R };
      }
    }
  } catch (error) {
    await closeOnce();
    throw error;
  }
  const first = pending.shift()!;
  async function* rest(): AsyncGenerator<RelayEntry> {
    try {
      while (true) {
        for (const entry of pending.splice(0)) {
          yield entry;
          if (entry.t === 'end' || entry.t === 'error') return;
        }
        const ended = settled;
        pending = await reader.read(RELAY_POLL_MS);
        if (pending.length === 0 && ended !== undefined) throw unended();
      }
    } finally {
      await closeOnce();
    }
  }
  if (first.t !== 'start') await closeOnce();
  return { kind: 'stream', first, rest: rest() };
}
