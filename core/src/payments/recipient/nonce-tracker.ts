/**
 * Replay protection: the nonces seen per recipientRand. Each set of ticket params
 * accepts at most MAX_SENDER_NONCES distinct nonces; a set is forgotten once its
 * params expire, after which a replayed ticket fails the expiry check instead.
 */

import type { NonceOutcome } from '../accounting/credit-store.js';

export type { NonceOutcome };

export const MAX_SENDER_NONCES = 600;

interface NonceSet {
  readonly seen: Set<number>;
  readonly expirationBlock: bigint;
}

export class NonceTracker {
  private readonly sets = new Map<string, NonceSet>();

  constructor(private readonly maxNonces = MAX_SENDER_NONCES) {}

  /** `paramsKey` identifies the recipientRand; the first ticket's expiration block governs clean-up. */
  record(paramsKey: string, nonce: number, expirationBlock: bigint): NonceOutcome {
    let set = this.sets.get(paramsKey);
    if (set === undefined) {
      set = { seen: new Set(), expirationBlock };
      this.sets.set(paramsKey, set);
    } else if (set.seen.has(nonce)) {
      return 'replayed';
    }
    if (set.seen.size >= this.maxNonces) return 'too_many';
    set.seen.add(nonce);
    return 'recorded';
  }

  /** Forgets every params set whose expiration block is at or below `latestBlock`. */
  pruneExpired(latestBlock: bigint): number {
    let removed = 0;
    for (const [key, set] of this.sets) {
      if (set.expirationBlock <= latestBlock) {
        this.sets.delete(key);
        removed++;
      }
    }
    return removed;
  }

  get trackedParams(): number {
    return this.sets.size;
  }
}
