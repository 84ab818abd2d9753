import type { Redis } from 'ioredis';
import type { WinningTicketRecord } from '../payments/redemption/winning-ticket.js';

export interface RedeemedEntry {
  ticketHash: string;
  txHash: string;
  blockNumber: string;
  faceValue: string;
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
 * is never silently dropped.
 */
export class SettlementLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'lpx:settlement',
  ) {}

  private key(kind: 'redeemed' | 'failed' | 'sent'): string {
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
    await this.redis.hset(this.key('redeemed'), entry.ticketHash, JSON.stringify(entry));
  }

  async recordFailed(entry: FailedEntry): Promise<void> {
    await this.redis.hset(this.key('failed'), entry.ticketHash, JSON.stringify(entry));
  }

  async redeemed(): Promise<RedeemedEntry[]> {
    return Object.values(await this.redis.hgetall(this.key('redeemed'))).map((text) => JSON.parse(text) as RedeemedEntry);
  }

  async failed(): Promise<FailedEntry[]> {
    return Object.values(await this.redis.hgetall(this.key('failed'))).map((text) => JSON.parse(text) as FailedEntry);
  }
}
