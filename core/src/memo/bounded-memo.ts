/**
 * A remembered result per key, for work a hot path repeats with the same few
 * inputs (a signer's checksummed address, a tenant's proven API key, a
 * client's parameters string). Bounded: when it is full and a new key comes,
 * it forgets everything and starts over. The keys a node sees in its steady
 * state are few, so a refill is rare; keeping recency (an LRU) would cost
 * every hit a little to save that rare refill, and a flood of distinct keys
 * (a client sending a new string per job) should find nothing worth keeping.
 */
export class BoundedMemo<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`a memo holds at least one entry, not ${maxEntries}`);
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Keeps `value` for `key`; a new key in a full memo first clears it. */
  set(key: K, value: V): V {
    if (this.#entries.size >= this.maxEntries && !this.#entries.has(key)) this.#entries.clear();
    this.#entries.set(key, value);
    return value;
  }

  /** The kept value, or `compute`'s, kept. */
  getOrSet(key: K, compute: (key: K) => V): V {
    const kept = this.#entries.get(key);
    return kept !== undefined ? kept : this.set(key, compute(key));
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
