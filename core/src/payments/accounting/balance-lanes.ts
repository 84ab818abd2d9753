/**
 * What lets RedisCreditStore write a balance in one round trip (ADR 0066):
 * operations on one balance key run one after another in this process, and
 * each starts from the version and amount the previous one left. Both are
 * only hints: the Redis script still refuses a write whose version is not the
 * current one, so a stale hint (another instance wrote, the key expired) costs
 * a retry, never money.
 */
import type { Rational } from '../math/rational.js';

/** The balance hash as this process last saw it. */
export interface SeenBalance {
  /** `<lifetime>:<writes>` as the scripts answer it. */
  readonly version: string;
  readonly amount: Rational;
}

/** Sessions remembered; an old entry only costs a retry, so the bound is about memory (~200 bytes each). */
export const MAX_SEEN_BALANCES = 10_000;

const settle = (): void => undefined;

export class BalanceLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly seen = new Map<string, SeenBalance>();

  constructor(private readonly maxSeen: number = MAX_SEEN_BALANCES) {}

  /**
   * Runs `task` after every task queued on `key` before it has settled, so two
   * debits of one session in this process never race each other's compare-and-set.
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous === undefined ? task() : previous.then(task);
    const tail = result.then(settle, settle);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  lastSeen(key: string): SeenBalance | undefined {
    return this.seen.get(key);
  }

  /**
   * Remembers a version only if it names the hash's lifetime: a bare `:<writes>`
   * (a hash no lpx write with lifetimes has touched) could come back after an
   * expiry with the same number, and then the check would not catch it.
   */
  remember(key: string, balance: SeenBalance): void {
    this.seen.delete(key);
    if (balance.version.startsWith(':')) return;
    this.seen.set(key, balance);
    if (this.seen.size > this.maxSeen) this.seen.delete(this.seen.keys().next().value!);
  }
}
