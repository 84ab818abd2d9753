/**
 * The orchestrator's durable CreditStore (ADR 0106): balances, session prices
 * and ticket nonces in Redis, so an orchestrator restart keeps every sender's
 * prepaid credit and still refuses replays, and several instances of one
 * recipient sharing Redis see one balance. Keys live under
 * `<prefix>:credit:<recipient>:…`, so two orchestrators on one Redis never
 * share balances, nonces or secrets:
 *
 *   …:bal:<sender>:<session>   hash {amount, price, v, e}   expires when idle
 *   …:nonces:<recipientRand>   set of nonces              until the params expire
 *   …:nonce-index              zset recipientRand → expiration block
 *   …:secret                   the recipientRand HMAC key (ADR 0107)
 *
 * Amounts are exact Rationals written as "n/d" strings; every write is a
 * compare-and-set on the hash's version, recomputed in JavaScript on conflict.
 * Writes to one balance run in turn within this process, each from the version
 * the previous one left, so an uncontended write is one round trip (ADR 0066).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { addressKey, type Address } from '../encoding/address.js';
import { paymentErrors } from '../errors.js';
import { Rational } from '../math/rational.js';
import { MAX_SENDER_NONCES } from '../recipient/nonce-tracker.js';
import { BalanceLanes, type SeenBalance } from './balance-lanes.js';
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

/**
 * A balance this process has not seen is guessed never written (`:0`, no
 * lifetime, no amount), which is exact whenever the check lets it pass: every
 * write sets a lifetime. A new session's first write is then one round trip;
 * an existing one learns its version from the refusal.
 */
const UNSEEN: SeenBalance = { version: ':0', amount: Rational.ZERO };

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
  private readonly lanes = new BalanceLanes();
  /** Lifetime tokens (see redis-credit-scripts.ts): this process's random tag and a counter make each unique. */
  private readonly tokenTag = randomBytes(8).toString('hex');
  private tokenCount = 0;

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

  private lifetimeToken(): string {
    return this.tokenTag + (this.tokenCount++).toString(36);
  }

  private get nonceSetPrefix(): string {
    return `${this.base}:nonces:`;
  }

  private get nonceIndex(): string {
    return `${this.base}:nonce-index`;
  }

  async creditTickets(credit: TicketCredit): Promise<TicketCreditResult> {
    const key = this.balanceKey(credit.sender, credit.sessionId);
    const keys = [key, this.nonceSetPrefix + credit.paramsKey, this.nonceIndex];
    const fixed = [this.maxNonces, this.balanceTtlMs, this.nonceTtlMs, credit.expirationBlock.toString(), credit.paramsKey];
    return this.lanes.run(key, async () => {
      let seen = this.lanes.lastSeen(key) ?? UNSEEN;
      let expected = Math.min(credit.creditable, credit.nonces.length);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const next = seen.amount.add(credit.ticketEV.mulInt(BigInt(expected)));
        const reply = await this.commands.lpxCreditTickets(...keys, seen.version, expected, next.toString(), credit.creditable, ...fixed, this.lifetimeToken(), ...credit.nonces);
        const [status, version, stored, count, codes] = reply;
        const creditedTickets = Number(count);
        if (status === 'ok') {
          // Nothing credited means nothing written: the amount is the one found.
          const balance = creditedTickets > 0 ? next : version === seen.version ? seen.amount : amountOf(stored);
          this.lanes.remember(key, { version, amount: balance });
          return { outcomes: [...String(codes)].map((c) => OUTCOMES[c]!), creditedTickets, balance };
        }
        seen = { version, amount: amountOf(stored) };
        this.lanes.remember(key, seen);
        expected = creditedTickets;
      }
      throw contended(credit.sender, credit.sessionId);
    });
  }

  async debit(sender: string, sessionId: string, amount: Rational): Promise<Rational> {
    const key = this.balanceKey(sender, sessionId);
    return this.lanes.run(key, async () => {
      let seen = this.lanes.lastSeen(key) ?? UNSEEN;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const next = seen.amount.sub(amount);
        const [status, version, stored] = await this.commands.lpxCreditSetAmount(key, seen.version, next.toString(), this.balanceTtlMs, this.lifetimeToken());
        seen = status === 'ok' ? { version, amount: next } : { version, amount: amountOf(stored) };
        this.lanes.remember(key, seen);
        if (status === 'ok') return next;
      }
      throw contended(sender, sessionId);
    });
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
