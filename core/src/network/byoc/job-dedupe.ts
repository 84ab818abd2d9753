/**
 * At-most-once execution per (sender, JobRequest.id) on this orchestrator
 * process. A gateway retries a job whose response it lost; the retry must not
 * run (or be charged for) the work again. While the first run is in flight the
 * retry waits for it; once it finished the retry gets the kept result. Results
 * are kept within a byte budget and a time window; past the budget only a
 * tombstone stays, which still refuses to run the work again. Runs that did
 * not do the work (refused, dispatch failed) leave no trace, so a retry runs.
 *
 * Across processes the dispatch's BullMQ job id (derived from the same key)
 * carries the guarantee; this class only saves the round trip and the debit.
 */
import { createHash } from 'node:crypto';

export interface JobOutcome {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

export type JobClaim =
  | { readonly kind: 'owner'; complete(outcome: JobOutcome): void; abandon(): void }
  /** Resolves with the outcome, or undefined when the owner gave up without doing the work: claim again. */
  | { readonly kind: 'running'; readonly settled: Promise<JobOutcome | undefined> }
  /** `outcome` is undefined when only the tombstone is left. */
  | { readonly kind: 'done'; readonly outcome: JobOutcome | undefined }
  | { readonly kind: 'conflict' };

export interface JobDedupeOptions {
  /** How long a finished job id is remembered (default 10 min, go-livepeer's balance TTL). */
  readonly ttlMs?: number;
  /**
   * Everything the cache holds, in (estimated) bytes: kept bodies, ids,
   * fingerprints and per-entry bookkeeping, running entries included
   * (default 64 MiB). Over it, the oldest bodies go first (their tombstones
   * stay), then the oldest tombstones.
   */
  readonly maxBytes?: number;
  /** The largest single result body kept for retries (default 8 MiB, never more than maxBytes); bigger ones leave only a tombstone. */
  readonly maxResultBytes?: number;
  /** Ids remembered at most (default 100,000). */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

export const DEFAULT_DEDUPE_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_DEDUPE_MAX_RESULT_BYTES = 8 * 1024 * 1024;
/** Map slot, entry object, promise or timestamp: a conservative per-entry figure for the budget. */
export const DEDUPE_ENTRY_OVERHEAD_BYTES = 256;

type Entry =
  | { state: 'running'; fingerprint: string; cost: number; settled: Promise<JobOutcome | undefined>; resolve: (o: JobOutcome | undefined) => void }
  | { state: 'done'; fingerprint: string; cost: number; outcome: JobOutcome | undefined; at: number };

/** Strings counted at two bytes a character: the worst case of V8's representations. */
function bookkeepingCost(key: string, fingerprint: string): number {
  return DEDUPE_ENTRY_OVERHEAD_BYTES + 2 * (key.length + fingerprint.length);
}

function outcomeCost(outcome: JobOutcome | undefined): number {
  return outcome === undefined ? 0 : outcome.body.length + 2 * outcome.contentType.length;
}

/** What must match for a retry to count as the same job. */
export function jobFingerprint(parts: { capability: string; subpath: string; request: string; parameters: string; body: Buffer }): string {
  const hash = createHash('sha256');
  for (const part of [parts.capability, parts.subpath, parts.request, parts.parameters]) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.update(parts.body).digest('hex');
}

export class JobDedupe {
  private readonly entries = new Map<string, Entry>();
  /** Keys whose entry still holds a body, oldest first: trimming strips these before dropping ids. */
  private readonly withBody = new Set<string>();
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly maxResultBytes: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private totalBytes = 0;
  private keptBytes = 0;

  constructor(options: JobDedupeOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60 * 1000;
    this.maxBytes = options.maxBytes ?? DEFAULT_DEDUPE_MAX_BYTES;
    this.maxResultBytes = Math.min(options.maxResultBytes ?? DEFAULT_DEDUPE_MAX_RESULT_BYTES, this.maxBytes);
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  claim(key: string, fingerprint: string): JobClaim {
    this.sweep();
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.fingerprint !== fingerprint) return { kind: 'conflict' };
    if (entry?.state === 'running') return { kind: 'running', settled: entry.settled };
    if (entry?.state === 'done') return { kind: 'done', outcome: entry.outcome };

    let resolve!: (o: JobOutcome | undefined) => void;
    const settled = new Promise<JobOutcome | undefined>((r) => (resolve = r));
    const running: Entry = { state: 'running', fingerprint, cost: bookkeepingCost(key, fingerprint), settled, resolve };
    this.insert(key, running);
    this.trim();
    let open = true;
    return {
      kind: 'owner',
      complete: (outcome) => {
        if (!open) return;
        open = false;
        this.remove(key); // re-insert at the end: Map order is finish order, which sweep relies on
        const kept = outcome.body.length <= this.maxResultBytes ? outcome : undefined;
        this.insert(key, { state: 'done', fingerprint, cost: bookkeepingCost(key, fingerprint) + outcomeCost(kept), outcome: kept, at: this.now() });
        this.trim();
        resolve(outcome);
      },
      abandon: () => {
        if (!open) return;
        open = false;
        if (this.entries.get(key) === running) this.remove(key);
        resolve(undefined);
      },
    };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of kept result bodies. */
  get keptResultBytes(): number {
    return this.keptBytes;
  }

  /** Everything counted against maxBytes. */
  get bytes(): number {
    return this.totalBytes;
  }

  private insert(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    this.totalBytes += entry.cost;
    if (entry.state === 'done' && entry.outcome !== undefined) {
      this.keptBytes += entry.outcome.body.length;
      this.withBody.add(key);
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.totalBytes -= entry.cost;
    if (entry.state === 'done' && entry.outcome !== undefined) this.keptBytes -= entry.outcome.body.length;
    this.withBody.delete(key);
  }

  /** Drops finished entries past the TTL, oldest first (running ones never expire). */
  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [key, entry] of this.entries) {
      if (entry.state === 'running') continue;
      if (entry.at >= cutoff) break;
      this.remove(key);
    }
  }

  /**
   * Over the byte budget the oldest bodies go (tombstones stay, still refusing
   * to run the work twice); still over it, or over the count, the oldest
   * finished ids go. Running entries are never dropped: their owner holds them.
   */
  private trim(): void {
    for (const key of this.withBody) {
      if (this.totalBytes <= this.maxBytes) break;
      const entry = this.entries.get(key);
      this.withBody.delete(key);
      if (entry?.state !== 'done' || entry.outcome === undefined) continue;
      const freed = outcomeCost(entry.outcome);
      this.keptBytes -= entry.outcome.body.length;
      this.totalBytes -= freed;
      entry.cost -= freed;
      entry.outcome = undefined;
    }
    for (const [key, entry] of this.entries) {
      if (this.totalBytes <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      if (entry.state === 'done') this.remove(key);
    }
  }
}
