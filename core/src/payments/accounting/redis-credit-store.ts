/**
 * The orchestrator's durable CreditStore (ADR 0106): balances, session prices
 * and ticket nonces in Redis, so an orchestrator restart keeps every sender's
 * prepaid credit and still refuses replays, and several instances of one
 * recipient sharing Redis see one balance. Keys live under
 * `<prefix>:credit:<recipient>:…`, so two orchestrators on one Redis never
 * share balances, nonces or secrets:
 *
 *   …:bal:<sender>:<session>   hash {amount, price, v}   expires when idle
 *   …:nonces:<recipientRand>   set of nonces              until the params expire
 *   …:nonce-index              zset recipientRand → expiration block
 *   …:secret                   the recipientRand HMAC key (ADR 0107)
 *
 * Amounts are exact Rationals written as "n/d" strings; every write is a
 * compare-and-set on the hash's version, recomputed in JavaScript on conflict.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { addressKey, type Address } from '../encoding/address.js';
import { paymentErrors } from '../errors.js';
import { Rational } from '../math/rational.js';
import { MAX_SENDER_NONCES } from '../recipient/nonce-tracker.js';
import type { CreditStore, NonceOutcome, TicketCredit, TicketCreditResult } from './credit-store.js';
import { CREDIT_TICKETS_LUA, FIX_PRICE_LUA, PRUNE_NONCES_LUA, SET_AMOUNT_LUA } from './redis-credit-scripts.js';

/**
 * Idle sessions are forgotten after an hour, not go-livepeer's 10 minutes: the
 * clock keeps running while a node restarts, and the gateway keeps its own
 * estimate for up to 10 idle minutes, so the orchestrator must remember longer
 * than the gateway plus a restart (ADR 0106). A session costs ~200 bytes.
 */
export const DEFAULT_CREDIT_TTL_MS = 60 * 60 * 1000;

/**
 * Nonce sets are deleted when their params' expiration block passes; this TTL
 * only collects the sets of a recipient that stopped running. It must be far
 * longer than params live (40 L1 blocks, ~8 minutes).
 */
export const DEFAULT_NONCE_TTL_MS = 24 * 60 * 60 * 1000;

/** Compare-and-set rounds before a write gives up (only under extreme contention on one session). */
const MAX_ATTEMPTS = 64;

const OUTCOMES: Record<string, NonceOutcome> = { r: 'recorded', p: 'replayed', t: 'too_many' };

export interface RedisCreditStoreOptions {
  readonly redis: Redis;
  /** The node's redis.prefix. */
  readonly prefix: string;
  /** The ticket recipient this store serves. */
  readonly recipient: Address;
  readonly balanceTtlMs?: number;
  readonly nonceTtlMs?: number;
  readonly maxNonces?: number;
}

type ScriptReply = [string, string, string, ...unknown[]];

interface CreditCommands {
  lpxCreditTickets(...args: (string | number)[]): Promise<ScriptReply>;
  lpxCreditSetAmount(...args: (string | number)[]): Promise<ScriptReply>;
  lpxCreditFixPrice(...args: (string | number)[]): Promise<string>;
  lpxCreditPruneNonces(...args: (string | number)[]): Promise<number>;
}

function defineCommands(redis: Redis): CreditCommands {
  const client = redis as Redis & Partial<CreditCommands>;
  if (client.lpxCreditTickets === undefined) {
    redis.defineCommand('lpxCreditTickets', { numberOfKeys: 3, lua: CREDIT_TICKETS_LUA });
    redis.defineCommand('lpxCreditSetAmount', { numberOfKeys: 1, lua: SET_AMOUNT_LUA });
    redis.defineCommand('lpxCreditFixPrice', { numberOfKeys: 1, lua: FIX_PRICE_LUA });
    redis.defineCommand('lpxCreditPruneNonces', { numberOfKeys: 1, lua: PRUNE_NONCES_LUA });
  }
  return client as Redis & CreditCommands;
}

function amountOf(stored: string): Rational {
  return stored === '' ? Rational.ZERO : Rational.parse(stored);
}

export class RedisCreditStore implements CreditStore {
  /** `<prefix>:credit:<recipient>`. */
  readonly base: string;
  private readonly redis: Redis;
  private readonly commands: CreditCommands;
  private readonly balanceTtlMs: number;
  private readonly nonceTtlMs: number;
  private readonly maxNonces: number;

  constructor(options: RedisCreditStoreOptions) {
    this.redis = options.redis;
    this.commands = defineCommands(options.redis);
    this.base = `${options.prefix}:credit:${addressKey(options.recipient)}`;
    this.balanceTtlMs = options.balanceTtlMs ?? DEFAULT_CREDIT_TTL_MS;
    this.nonceTtlMs = options.nonceTtlMs ?? DEFAULT_NONCE_TTL_MS;
    this.maxNonces = options.maxNonces ?? MAX_SENDER_NONCES;
  }

  private balanceKey(sender: string, sessionId: string): string {
    return `${this.base}:bal:${sender.toLowerCase()}:${sessionId}`;
  }

  private get nonceSetPrefix(): string {
    return `${this.base}:nonces:`;
  }

  private get nonceIndex(): string {
    return `${this.base}:nonce-index`;
  }

  async creditTickets(credit: TicketCredit): Promise<TicketCreditResult> {
    const keys = [this.balanceKey(credit.sender, credit.sessionId), this.nonceSetPrefix + credit.paramsKey, this.nonceIndex];
    const fixed = [this.maxNonces, this.balanceTtlMs, this.nonceTtlMs, credit.expirationBlock.toString(), credit.paramsKey, ...credit.nonces];
    // First round: the version is unknown, so a credit comes back as 'retry' with
    // the current amount; a payment that credits nothing commits at once.
    let version = '';
    let amount = Rational.ZERO;
    let expected = Math.min(credit.creditable, credit.nonces.length);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const next = amount.add(credit.ticketEV.mulInt(BigInt(expected)));
      const [status, v, stored, count, codes] = await this.commands.lpxCreditTickets(...keys, version, expected, next.toString(), credit.creditable, ...fixed);
      if (status === 'ok') {
        return { outcomes: [...String(codes)].map((c) => OUTCOMES[c]!), creditedTickets: Number(count) };
      }
      version = v;
      amount = amountOf(stored);
      expected = Number(count);
    }
    throw contended(credit.sender, credit.sessionId);
  }

  async debit(sender: string, sessionId: string, amount: Rational): Promise<Rational> {
    const key = this.balanceKey(sender, sessionId);
    let version = '';
    let current = Rational.ZERO;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const next = current.sub(amount);
      const [status, v, stored] = await this.commands.lpxCreditSetAmount(key, version, next.toString(), this.balanceTtlMs);
      if (status === 'ok') return next;
      version = v;
      current = amountOf(stored);
    }
    throw contended(sender, sessionId);
  }

  async balance(sender: string, sessionId: string): Promise<Rational | undefined> {
    const entry = await this.redis.hgetall(this.balanceKey(sender, sessionId));
    if (Object.keys(entry).length === 0) return undefined;
    return amountOf(entry['amount'] ?? '');
  }

  async fixedPrice(sender: string, sessionId: string): Promise<Rational | undefined> {
    const price = await this.redis.hget(this.balanceKey(sender, sessionId), 'price');
    return price === null ? undefined : Rational.parse(price);
  }

  async fixPriceOnce(sender: string, sessionId: string, price: Rational): Promise<Rational> {
    return Rational.parse(await this.commands.lpxCreditFixPrice(this.balanceKey(sender, sessionId), price.toString(), this.balanceTtlMs));
  }

  async pruneExpired(latestBlock: bigint): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = Number(await this.commands.lpxCreditPruneNonces(this.nonceIndex, latestBlock.toString(), this.nonceSetPrefix));
      total += removed;
      if (removed < 1000) return total;
    }
  }

  /**
   * The recipientRand HMAC key shared by every instance of this recipient,
   * created by the first one (ADR 0107). It lives beside the nonces on purpose:
   * if Redis loses the nonces it loses the secret too, and params issued
   * before can no longer be replayed against an empty nonce set.
   */
  async recipientSecret(random: (size: number) => Uint8Array = (size) => randomBytes(size)): Promise<Uint8Array> {
    const key = `${this.base}:secret`;
    await this.redis.set(key, Buffer.from(random(32)).toString('hex'), 'NX');
    const stored = await this.redis.get(key);
    if (stored === null || !/^[0-9a-f]{64}$/.test(stored)) {
      throw paymentErrors.CREDIT_STORE_CORRUPT.create(`the recipient secret at ${key} is missing or not 32 hex bytes`);
    }
    return Uint8Array.from(Buffer.from(stored, 'hex'));
  }
}

function contended(sender: string, sessionId: string) {
  return paymentErrors.CREDIT_CONTENDED.create(`the balance of ${sender} in session ${sessionId} changed concurrently ${MAX_ATTEMPTS} times in a row; retry`);
}
