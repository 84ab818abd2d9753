/**
 * What happened to every winning ticket of a drill, read from the sources of
 * truth rather than from any one node's counters: the redemption queues in
 * Redis (every winner handed to redemption is a job keyed by its ticket hash),
 * the chain's usedTickets, and the sender of each redeeming transaction.
 * Key names are matched loosely so the audit survives queue renames.
 */
import type { Redis } from 'ioredis';
import type { Address, Hex } from 'viem';
import { connectChain } from '../../core/src/chain/connection.js';
import { resolveProtocolAddresses } from '../../core/src/chain/protocol-addresses.js';
import { isTicketUsed } from '../../core/src/chain/ticket-broker-reads.js';

export interface SettlementFigures {
  /** Distinct winning tickets handed to redemption. */
  won: number;
  /** Used on-chain (redeemed by anyone). */
  redeemed: number;
  /** Redeemed by a transaction sent from the ticket's own recipient. */
  redeemedByOwnRecipient: number;
  /** Redeemed by a transaction from another account (the shared-queue defect). */
  redeemedByOther: number;
  /** Recorded as failed by a ledger (never redeemable, or given up). */
  failed: number;
  /** Neither used on-chain nor recorded failed: still waiting, or lost. */
  pending: number;
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

interface QueuedWinner {
  readonly ticketHash: Hex;
  readonly recipient: string;
}

/** Every winning-ticket job in any redemption queue, deduplicated by ticket hash. */
export async function queuedWinners(redis: Redis): Promise<QueuedWinner[]> {
  const byHash = new Map<string, QueuedWinner>();
  for (const key of await scanKeys(redis, '*ticket-redemption*:ticket-0x*')) {
    if ((await redis.type(key)) !== 'hash') continue;
    const data = await redis.hget(key, 'data');
    if (data === null) continue;
    const record = JSON.parse(data) as { ticketHash: Hex; recipient: string };
    byHash.set(record.ticketHash.toLowerCase(), { ticketHash: record.ticketHash, recipient: record.recipient.toLowerCase() });
  }
  return [...byHash.values()];
}

/** Ticket hash → tx hash, from every ledger's `redeemed` hash; and the set of failed ticket hashes. */
async function ledgers(redis: Redis): Promise<{ txByTicket: Map<string, Hex>; failed: Set<string> }> {
  const txByTicket = new Map<string, Hex>();
  const failed = new Set<string>();
  for (const key of await scanKeys(redis, '*settlement*')) {
    if ((await redis.type(key)) !== 'hash') continue;
    if (key.endsWith(':redeemed')) {
      for (const [hash, text] of Object.entries(await redis.hgetall(key))) txByTicket.set(hash.toLowerCase(), (JSON.parse(text) as { txHash: Hex }).txHash);
    } else if (key.endsWith(':failed')) {
      for (const hash of await redis.hkeys(key)) failed.add(hash.toLowerCase());
    } else if (key.endsWith(':sent')) {
      for (const [hash, tx] of Object.entries(await redis.hgetall(key))) if (!txByTicket.has(hash.toLowerCase())) txByTicket.set(hash.toLowerCase(), tx as Hex);
    }
  }
  return { txByTicket, failed };
}

export async function auditSettlement(redis: Redis, chain: { rpcUrl: string; controller: string }): Promise<SettlementFigures> {
  const { publicClient } = await connectChain({ rpcUrl: chain.rpcUrl });
  const addresses = await resolveProtocolAddresses(publicClient, chain.controller as Address);
  const winners = await queuedWinners(redis);
  const { txByTicket, failed } = await ledgers(redis);
  const figures: SettlementFigures = { won: winners.length, redeemed: 0, redeemedByOwnRecipient: 0, redeemedByOther: 0, failed: 0, pending: 0 };
  for (const winner of winners) {
    const hash = winner.ticketHash.toLowerCase();
    if (await isTicketUsed(publicClient, addresses.ticketBroker, winner.ticketHash)) {
      figures.redeemed++;
      const txHash = txByTicket.get(hash);
      if (txHash === undefined) continue;
      const tx = await publicClient.getTransaction({ hash: txHash }).catch(() => undefined);
      if (tx === undefined) continue;
      if (tx.from.toLowerCase() === winner.recipient) figures.redeemedByOwnRecipient++;
      else figures.redeemedByOther++;
    } else if (failed.has(hash)) {
      figures.failed++;
    } else {
      figures.pending++;
    }
  }
  return figures;
}
