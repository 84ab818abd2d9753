/**
 * The plugin's in-memory store of source segments for transcoders to
 * download (the counterpart of go-livepeer's memory OS), under
 * `/stream/<sessionId>/<name>` on the orchestrator's port. A source is read
 * once or twice within seconds, so entries live for a short TTL and the
 * oldest go first when the byte budget or the entry count is exceeded. The
 * count bounds the bookkeeping where the byte budget alone would let a flood
 * of tiny objects through. Renditions never land here: they arrive on
 * /transcodeResults and go straight to the task's output directory.
 */

export interface SegmentStoreOptions {
  /** Bytes of stored data (default 256 MiB). */
  readonly maxBytes?: number;
  /** Objects stored at most (default 20,000). */
  readonly maxEntries?: number;
  /** Default 2 minutes: longer than any task timeout for a normal segment. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export interface StoredObject {
  readonly data: Uint8Array;
  readonly contentType: string;
}

interface Entry extends StoredObject {
  readonly sessionId: string;
  readonly expiresAt: number;
}

export const DEFAULT_STORE_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_STORE_MAX_ENTRIES = 20_000;
export const DEFAULT_STORE_TTL_MS = 120_000;

/**
 * One URL path segment, percent-encoded, so a key is exactly the raw path a
 * client requests; dot-segments would be collapsed by clients, so they change.
 */
export function pathSegment(value: string): string {
  if (value === '' || value === '.' || value === '..') return `_${value}`;
  return encodeURIComponent(value);
}

export class SegmentStore {
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Insertion order is age order, which eviction relies on. */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(options: SegmentStoreOptions = {}) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_STORE_MAX_BYTES;
    this.#maxEntries = options.maxEntries ?? DEFAULT_STORE_MAX_ENTRIES;
    this.#ttlMs = options.ttlMs ?? DEFAULT_STORE_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Stores `data` at `<sessionId>/<name...>` and returns that path, encoded, relative to /stream/. */
  put(sessionId: string, name: readonly string[], data: Uint8Array, contentType: string): string {
    const key = [sessionId, ...name].map(pathSegment).join('/');
    this.#delete(key);
    this.#expire();
    // An object over the whole budget is still stored: refusing it would fail the segment outright.
    while ((this.#bytes + data.length > this.#maxBytes || this.#entries.size >= this.#maxEntries) && this.#entries.size > 0) {
      this.#delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, { data, contentType, sessionId, expiresAt: this.#now() + this.#ttlMs });
    this.#bytes += data.length;
    return key;
  }

  /** `key` is the raw (still percent-encoded) path after /stream/. */
  get(key: string): StoredObject | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#delete(key);
      return undefined;
    }
    return entry;
  }

  delete(key: string): void {
    this.#delete(key);
  }

  /** Drops everything stored for a session (go-livepeer's OS EndSession). */
  deleteSession(sessionId: string): void {
    for (const [key, entry] of this.#entries) if (entry.sessionId === sessionId) this.#delete(key);
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.data.length;
  }

  #expire(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      // Entries share one TTL, so the first unexpired one ends the scan.
      if (entry.expiresAt > now) break;
      this.#delete(key);
    }
  }
}
