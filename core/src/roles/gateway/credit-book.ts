/**
 * What this gateway believes each orchestrator holds for it, per capability:
 * the ticket params of the last job token (kept, with their ticket session, so
 * nonces keep counting up under one recipientRandHash) and an estimate of the
 * credit. A job whose estimate covers the orchestrator's one-minute minimum
 * goes out without asking for a token first: one round trip instead of two.
 *
 * The estimate may run ahead of the orchestrator (debits of jobs still
 * running are only guessed), so it is only a hint: a refusal that says the
 * credit or the params went stale drops the entry and the sender retries
 * once with a fresh token. Money is never assumed lost or double counted —
 * the orchestrator's `Livepeer-Balance` replaces the estimate on every answer.
 *
 * Jobs in flight are netted out: the orchestrator debits a job only when it
 * ends, so the balance one answer reports still holds the debits of every
 * other job running. Each job reserves its cost when it is paid for and
 * settles it when it is answered (or releases it when its request failed);
 * the credit a new job may count on is the balance less what is reserved.
 * Without this, sixteen jobs at once each read a balance that ignores the
 * fifteen others, go out short of the minute and are refused (`Insufficient
 * balance`), costing a token round trip and a retry. Reservations belong to
 * the (orchestrator, capability) pair, not to one entry: a fresh token's
 * balance holds the debits of jobs sent on the entry it replaced just as
 * much, and netting only the fresh entry's own jobs let a burst of refusals
 * feed itself (each refusal dropped the entry, the next fresh one forgot
 * every job still running, and its jobs went out short again).
 */
import { Rational, type PriceInfo, type TicketParams } from '../../payments/index.js';

export interface CreditEntry {
  /** Absent: the orchestrator asks nothing for this capability (no params or price 0). */
  readonly paid?: {
    readonly params: TicketParams;
    readonly price: PriceInfo;
    /** The TicketSender session for these params. */
    readonly session: string;
  };
  balance: Rational;
  /** The Livepeer-Payment header of a job the credit covers (sender and price, no tickets): the same bytes every time. */
  creditOnlyHeader?: string;
}

export type CreditKey = string;

export function creditKey(uri: string, capability: string): CreditKey {
  return `${uri}\u0000${capability}`;
}

/**
 * Keys are (orchestrator, capability) pairs, and discovery brings new
 * orchestrators over time; past this many entries the least recently set
 * go (a forgotten entry only costs the next job a token round trip).
 */
export const DEFAULT_CREDIT_BOOK_ENTRIES = 10_000;

export class CreditBook {
  readonly #entries = new Map<CreditKey, CreditEntry>();
  /** What the jobs sent to each pair and not answered yet will be debited, as far as we know. */
  readonly #inFlight = new Map<CreditKey, Rational>();
  readonly #locks = new Map<CreditKey, Promise<unknown>>();
  readonly #onForget: (entry: CreditEntry) => void;
  readonly #maxEntries: number;

  /** `onForget` closes the entry's ticket session. */
  constructor(onForget: (entry: CreditEntry) => void, maxEntries = DEFAULT_CREDIT_BOOK_ENTRIES) {
    this.#onForget = onForget;
    this.#maxEntries = maxEntries;
  }

  get(key: CreditKey): CreditEntry | undefined {
    return this.#entries.get(key);
  }

  set(key: CreditKey, entry: CreditEntry): void {
    this.forget(key);
    this.#entries.set(key, entry);
    // Map order is set order: the oldest go first, except one a job is using right now.
    for (const old of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      if (old !== key && !this.#locks.has(old)) this.forget(old);
    }
  }

  forget(key: CreditKey): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#onForget(entry);
  }

  /** What jobs in flight to this pair will be debited. */
  inFlight(key: CreditKey): Rational {
    return this.#inFlight.get(key) ?? Rational.ZERO;
  }

  /** The credit a new job can count on: the balance less what jobs in flight will be debited. */
  available(key: CreditKey, entry: CreditEntry): Rational {
    return entry.balance.sub(this.inFlight(key));
  }

  /** A job is going out to the pair; `cost` is what it is expected to be debited. */
  reserve(key: CreditKey, cost: Rational): void {
    this.#inFlight.set(key, this.inFlight(key).add(cost));
  }

  /** A job's request failed: it will not be debited as far as we know (a fresh token says for sure). */
  release(key: CreditKey, cost: Rational): void {
    const left = this.inFlight(key).sub(cost);
    if (left.gt(Rational.ZERO)) this.#inFlight.set(key, left);
    else this.#inFlight.delete(key);
  }

  /**
   * A job was answered: its reservation ends, and the orchestrator's own figure
   * (after it debited this job, not yet the others in flight) replaces the
   * balance; without one, the expected cost is taken as debited. The balance
   * of an entry forgotten or replaced meanwhile is left alone.
   */
  settle(key: CreditKey, entry: CreditEntry, cost: Rational, reportedWei: bigint | undefined): void {
    this.release(key, cost);
    if (this.#entries.get(key) !== entry) return;
    entry.balance = reportedWei !== undefined && reportedWei >= 0n ? Rational.of(reportedWei) : entry.balance.sub(cost);
  }

  /**
   * Runs `work` alone for this key, so two jobs to one orchestrator do not
   * both pay for the same missing credit.
   */
  async exclusive<T>(key: CreditKey, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === settled) this.#locks.delete(key);
    }
  }

  clear(): void {
    for (const key of [...this.#entries.keys()]) this.forget(key);
    this.#inFlight.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
