/**
 * The pool's cache of GetOrchestrator replies: one slot per orchestrator, the
 * last failure of each, and when the next reply falls due for a refresh
 * (refresh-policy.ts). A slow older reply never replaces a newer one (`seq`);
 * a failed call drops the reply it was refreshing, as go-livepeer drops the
 * session. The pool owns everything else (versions, waiters, suspensions).
 */
import type { OrchestratorCandidate } from '@lpx/sdk';
import type { OrchestratorInfo } from '../../network/index.js';
import { toHex } from '../../payments/index.js';
import { viewOf } from './capability-price.js';
import type { Slot } from './pool-classification.js';
import type { CachedInfo } from './pool-options.js';
import { dueAt, refreshReason, tokenExpired } from './refresh-policy.js';

export class ReplyCache {
  readonly #slots = new Map<string, Slot>();
  readonly #errors = new Map<string, unknown>();
  readonly #refreshMs: number;
  /** No reply is due for a refresh before this time, so `due` is O(1) until then. */
  #nextDueAt = Number.POSITIVE_INFINITY;

  constructor(refreshMs: number) {
    this.#refreshMs = refreshMs;
  }

  get(uri: string): Slot | undefined {
    return this.#slots.get(uri);
  }

  values(): IterableIterator<Slot> {
    return this.#slots.values();
  }

  get size(): number {
    return this.#slots.size;
  }

  /** The last failure of `uri`'s GetOrchestrator, if its last call failed. */
  lastError(uri: string): unknown {
    return this.#errors.get(uri);
  }

  /** Every reply whose auth token is still good at `now`. */
  fresh(now: number): CachedInfo[] {
    return [...this.#slots.values()].filter((slot) => !tokenExpired(slot, now));
  }

  /**
   * Forgets the orchestrators discovery no longer lists, their replies and their last errors (with
   * on-chain discovery orchestrators come and go, and the errors would only grow). Returns the uris
   * whose replies went, so the pool can drop their channels.
   */
  retain(known: ReadonlyMap<string, unknown>): string[] {
    const gone: string[] = [];
    for (const uri of this.#slots.keys()) {
      if (known.has(uri)) continue;
      this.#slots.delete(uri);
      gone.push(uri);
    }
    for (const uri of this.#errors.keys()) if (!known.has(uri)) this.#errors.delete(uri);
    return gone;
  }

  /** Stores a reply from fetch number `seq`; undefined (nothing stored) when a newer reply is already here. */
  store(uri: string, info: OrchestratorInfo, latencyMs: number, seq: number, fetchedAt: number, candidate: OrchestratorCandidate | undefined): Slot | undefined {
    const current = this.#slots.get(uri);
    if (current !== undefined && current.seq > seq) return undefined;
    const slot: Slot = { uri, info, view: viewOf(info), address: toHex(info.address), fetchedAt, latencyMs, seq, ...(candidate !== undefined ? { candidate } : {}) };
    this.#slots.set(uri, slot);
    this.#nextDueAt = Math.min(this.#nextDueAt, dueAt(slot, this.#refreshMs));
    this.#errors.delete(uri);
    return slot;
  }

  /** Records fetch number `seq` failing: its error is kept, and the reply goes unless a newer one came meanwhile. */
  fail(uri: string, error: unknown, seq: number): void {
    this.#errors.set(uri, error);
    const current = this.#slots.get(uri);
    if (current === undefined || current.seq < seq) this.#slots.delete(uri);
  }

  /** The uris due for a refresh at `now`; undefined while none can be (before the earliest due time). */
  due(now: number): string[] | undefined {
    if (now < this.#nextDueAt) return undefined;
    // Something is due: one scan, which also finds when the next one will be (due ones re-enter it when stored).
    const due: string[] = [];
    this.#nextDueAt = Number.POSITIVE_INFINITY;
    for (const slot of this.#slots.values()) {
      if (refreshReason(slot, now, this.#refreshMs) !== undefined) due.push(slot.uri);
      else this.#nextDueAt = Math.min(this.#nextDueAt, dueAt(slot, this.#refreshMs));
    }
    return due;
  }
}
