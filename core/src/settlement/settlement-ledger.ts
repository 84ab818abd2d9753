import type { Redis } from 'ioredis';
import type { WinningTicketRecord } from '../payments/redemption/winning-ticket.js';
import { settlementNames } from './settlement-names.js';

export interface RedeemedEntry {
  ticketHash: string;
  txHash: string;
  blockNumber: string;
  faceValue: string;
  /** Wei the recipient actually received (decimal); below faceValue only for a last-round partial payout. */
  payout?: string;
  at: number;
}

export interface FailedEntry {
  ticketHash: string;
  /** Why redemption gave up, in the contract's or our words. */
  reason: string;
  code: string;
  record: WinningTicketRecord;
  at: number;
}

/**
 * Durable outcome records in Redis hashes keyed by ticket hash, kept apart
 * from BullMQ's job retention so operators can always answer "what happened
 * to ticket X" — and a failed ticket (which still holds its recipientRand)
 * is never silently dropped. One ledger per recipient address (see
 * settlement-names.ts); amounts stay decimal strings, summed with bigint.
 */
export class SettlementLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lpx:settlement',
  ) {}

  private key(kind: 'redeemed' | 'failed' | 'sent' | 'retries'): string {
    return `${this.prefix}:${kind}`;
  }

  /** Written right after broadcasting, so a crash before the receipt still knows the tx. */
  async recordSent(ticketHash: string, txHash: string): Promise<void> {
    await this.redis.hset(this.key('sent'), ticketHash, txHash);
  }

  async sentTx(ticketHash: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key('sent'), ticketHash)) ?? undefined;
  }

  async recordRedeemed(entry: RedeemedEntry): Promise<void> {
    await this.redis.multi().hset(this.key('redeemed'), entry.ticketHash, JSON.stringify(entry)).hdel(this.key('retries'), entry.ticketHash).exec();
  }

  async recordFailed(entry: FailedEntry): Promise<void> {
    await this.redis.multi().hset(this.key('failed'), entry.ticketHash, JSON.stringify(entry)).hdel(this.key('retries'), entry.ticketHash).exec();
  }

  /**
   * Counts a transient failure and returns the count, which drives the
   * backoff. Kept here rather than in BullMQ's attempt counter so retries
   * never exhaust a job's attempts: only the ticket's expiry ends them.
   */
  nextRetry(ticketHash: string): Promise<number> {
    return this.redis.hincrby(this.key('retries'), ticketHash, 1);
  }

  async clearRetries(ticketHash: string): Promise<void> {
    await this.redis.hdel(this.key('retries'), ticketHash);
  }

  async redeemed(): Promise<RedeemedEntry[]> {
    return Object.values(await this.redis.hgetall(this.key('redeemed'))).map((text) => JSON.parse(text) as RedeemedEntry);
  }

  async failed(): Promise<FailedEntry[]> {
    return Object.values(await this.redis.hgetall(this.key('failed'))).map((text) => JSON.parse(text) as FailedEntry);
  }

  /** Exact wei received over all redeemed tickets (payout, else face value). */
  async redeemedTotal(): Promise<bigint> {
    return (await this.redeemed()).reduce((sum, entry) => sum + BigInt(entry.payout ?? entry.faceValue), 0n);
  }
}

/** The ledger of one recipient under a node's redis prefix (what the node and its redeemer write). */
export function settlementLedgerFor(redis: Redis, redisPrefix: string, address: string): SettlementLedger {
  return new SettlementLedger(redis, settlementNames(redisPrefix, address).ledgerPrefix);
}
