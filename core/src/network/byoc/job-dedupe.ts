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
  /** Total bytes of kept result bodies (default 64 MiB). */
  readonly maxResultBytes?: number;
  /** Finished ids remembered at most (default 100,000). */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

type Entry =
  | { state: 'running'; fingerprint: string; settled: Promise<JobOutcome | undefined>; resolve: (o: JobOutcome | undefined) => void }
  | { state: 'done'; fingerprint: string; outcome: JobOutcome | undefined; at: number };

/** What must match for a retry to count as the same job. */
export function jobFingerprint(parts: { capability: string; subpath: string; request: string; parameters: string; body: Buffer }): string {
  const hash = createHash('sha256');
  for (const part of [parts.capability, parts.subpath, parts.request, parts.parameters]) hash.update(`${Buffer.byteLength(part)}:`).update(part);
  return hash.update(parts.body).digest('hex');
}

export class JobDedupe {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxResultBytes: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private keptBytes = 0;

  constructor(options: JobDedupeOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60 * 1000;
    this.maxResultBytes = options.maxResultBytes ?? 64 * 1024 * 1024;
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
    const running: Entry = { state: 'running', fingerprint, settled, resolve };
    this.entries.set(key, running);
    let open = true;
    return {
      kind: 'owner',
      complete: (outcome) => {
        if (!open) return;
        open = false;
        this.entries.delete(key); // re-insert at the end: Map order is finish order, which sweep relies on
        const kept = outcome.body.length <= this.maxResultBytes;
        this.entries.set(key, { state: 'done', fingerprint, outcome: kept ? outcome : undefined, at: this.now() });
        if (kept) this.keptBytes += outcome.body.length;
        this.trim();
        resolve(outcome);
      },
      abandon: () => {
        if (!open) return;
        open = false;
        if (this.entries.get(key) === running) this.entries.delete(key);
        resolve(undefined);
      },
    };
  }

  get size(): number {
    return this.entries.size;
  }

  get keptResultBytes(): number {
    return this.keptBytes;
  }

  /** Drops finished entries past the TTL, oldest first (running ones never expire). */
  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [key, entry] of this.entries) {
      if (entry.state === 'running') continue;
      if (entry.at >= cutoff) break;
      this.drop(key, entry);
    }
  }

  private drop(key: string, entry: Entry & { state: 'done' }): void {
    if (entry.outcome !== undefined) this.keptBytes -= entry.outcome.body.length;
    this.entries.delete(key);
  }

  /** Over the byte budget the oldest bodies go (tombstones stay); over the count the oldest ids go. */
  private trim(): void {
    for (const entry of this.entries.values()) {
      if (this.keptBytes <= this.maxResultBytes) break;
      if (entry.state === 'done' && entry.outcome !== undefined) {
        this.keptBytes -= entry.outcome.body.length;
        entry.outcome = undefined;
      }
    }
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) break;
      if (entry.state === 'done') this.drop(key, entry);
    }
  }
}
