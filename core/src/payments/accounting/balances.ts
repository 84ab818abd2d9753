/**
 * Credit balances per (counterparty, session), exact rationals. The orchestrator
 * keys them by (sender, manifest/session id) and credits ticket EV, debits
 * price × units; the gateway mirrors its own view keyed by (orchestrator
 * recipient, auth session id). Entries untouched for longer than the TTL are
 * forgotten, as go-livepeer does, so idle sessions do not grow memory.
 */
import { Rational } from '../math/rational.js';

export const DEFAULT_BALANCE_TTL_MS = 10 * 60 * 1000;

interface Entry {
  amount: Rational;
  fixedPrice: Rational | undefined;
  lastUpdate: number;
}

export interface BalancesOptions {
  ttlMs?: number;
  now?: () => number;
}

export class Balances {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: BalancesOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_BALANCE_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  private key(party: string, sessionId: string): string {
    return `${party.toLowerCase()}\u0000${sessionId}`;
  }

  private entry(party: string, sessionId: string): Entry {
    const key = this.key(party, sessionId);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { amount: Rational.ZERO, fixedPrice: undefined, lastUpdate: this.now() };
      this.entries.set(key, entry);
    }
    return entry;
  }

  credit(party: string, sessionId: string, amount: Rational): Rational {
    const entry = this.entry(party, sessionId);
    entry.amount = entry.amount.add(amount);
    entry.lastUpdate = this.now();
    return entry.amount;
  }

  /** May go negative: only the pre-work check gates work, as on the Livepeer network. */
  debit(party: string, sessionId: string, amount: Rational): Rational {
    return this.credit(party, sessionId, amount.neg());
  }

  /** Undefined for a session never credited or debited (or forgotten after the TTL). */
  balance(party: string, sessionId: string): Rational | undefined {
    return this.entries.get(this.key(party, sessionId))?.amount;
  }

  /** Zeroes the balance and returns what it was (the gateway's staging step). */
  reserve(party: string, sessionId: string): Rational {
    const entry = this.entry(party, sessionId);
    const amount = entry.amount;
    entry.amount = Rational.ZERO;
    return amount;
  }

  fixedPrice(party: string, sessionId: string): Rational | undefined {
    return this.entries.get(this.key(party, sessionId))?.fixedPrice;
  }

  /** Fixes the session price unless one is fixed already; returns the price in force. */
  fixPriceOnce(party: string, sessionId: string, price: Rational): Rational {
    const entry = this.entry(party, sessionId);
    if (entry.fixedPrice === undefined) {
      entry.fixedPrice = price;
      entry.lastUpdate = this.now();
    }
    return entry.fixedPrice;
  }

  /** Drops entries idle for longer than the TTL; returns how many. */
  cleanup(): number {
    const cutoff = this.now() - this.ttlMs;
    let removed = 0;
    for (const [key, entry] of this.entries) {
      if (entry.lastUpdate < cutoff) {
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Runs cleanup every TTL; the timer does not keep the process alive. */
  startCleanup(): () => void {
    const timer = setInterval(() => this.cleanup(), this.ttlMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  get size(): number {
    return this.entries.size;
  }
}
