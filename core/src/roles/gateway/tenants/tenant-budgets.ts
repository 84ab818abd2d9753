/**
 * What each tenant's jobs cost the gateway, per budget period, in Redis so
 * every gateway instance on that Redis counts against the same figure and a
 * restart forgets nothing. One integer (wei) per tenant and period under
 * `<prefix>:tenant:<name>:spent:<periodSeconds>:<period index>`; periods are
 * aligned to the Unix epoch and a key lives two periods.
 *
 * Charging is one Redis script (spend-script.ts), atomic and exact for any
 * number of wei: a payment is reserved before its tickets are made and
 * refused when the tenant had already reached its budget; a payment that then
 * fails to be made is given back. Concurrent payments are serialised by
 * Redis, so the spend can pass the budget by at most the one payment that
 * reached it.
 *
 * The check before a request is queued (assertWithin) is a courtesy, not the
 * limit: it reuses what this process last read or charged for the tenant for
 * up to `checkMaxAgeMs` (default 250 ms), so a busy gateway does not ask Redis
 * on every request. Spend charged by another gateway in that window is seen
 * late by the check only; the charge itself is always exact.
 */
import type { Redis } from 'ioredis';
import { errors } from '@lpx/sdk';
import { SPEND_SCRIPT } from './spend-script.js';
import type { Tenant } from './tenant-directory.js';

/** Tenants without a budget are still counted (metrics, `lpx tenants list`), per UTC day. */
const UNBUDGETED_PERIOD_SECONDS = 86_400;
const CHECK_MAX_AGE_MS = 250;

export interface SpendReport {
  readonly tenant: string;
  readonly spentWei: bigint;
  readonly limitWei: bigint | undefined;
  /** Seconds until the current period ends. */
  readonly resetsInSeconds: number;
}

export class TenantBudgets {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #checkMaxAgeMs: number;
  /** The spend this process last saw per tenant, with its period key and when (monotonic ms). */
  readonly #seen = new Map<string, { key: string; spentWei: bigint; at: number }>();

  constructor(redis: Redis, prefix: string, now: () => number = Date.now, options: { checkMaxAgeMs?: number } = {}) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#now = now;
    this.#checkMaxAgeMs = options.checkMaxAgeMs ?? CHECK_MAX_AGE_MS;
  }

  #remember(tenant: string, key: string, spentWei: bigint): void {
    this.#seen.set(tenant, { key, spentWei, at: performance.now() });
  }

  #period(tenant: Tenant): { key: string; ttlSeconds: number; resetsInSeconds: number } {
    const periodSeconds = tenant.budget?.periodSeconds ?? UNBUDGETED_PERIOD_SECONDS;
    const nowSeconds = Math.floor(this.#now() / 1000);
    const index = Math.floor(nowSeconds / periodSeconds);
    return {
      key: `${this.#prefix}:tenant:${tenant.name}:spent:${periodSeconds}:${index}`,
      ttlSeconds: periodSeconds * 2,
      resetsInSeconds: (index + 1) * periodSeconds - nowSeconds,
    };
  }

  async report(tenant: Tenant): Promise<SpendReport> {
    const { key, resetsInSeconds } = this.#period(tenant);
    const raw = await this.#redis.get(key);
    return { tenant: tenant.name, spentWei: BigInt(raw ?? '0'), limitWei: tenant.budget?.limitWei, resetsInSeconds };
  }

  #exhausted(tenant: Tenant, spentWei: bigint, resetsInSeconds: number): Error {
    return errors.gateway.BUDGET_EXHAUSTED.create(
      `tenant ${tenant.name} has spent ${spentWei} of its ${tenant.budget?.limitWei} wei for this period; the period ends in ${resetsInSeconds} s`,
      { details: { tenant: tenant.name, spentWei: String(spentWei), limitWei: String(tenant.budget?.limitWei), retryAfterSeconds: resetsInSeconds } },
    );
  }

  /** Throws GATEWAY_BUDGET_EXHAUSTED when the tenant has reached its budget for this period. */
  async assertWithin(tenant: Tenant): Promise<void> {
    if (tenant.budget === undefined) return;
    const { key, resetsInSeconds } = this.#period(tenant);
    const seen = this.#seen.get(tenant.name);
    let spentWei: bigint;
    if (seen !== undefined && seen.key === key && performance.now() - seen.at < this.#checkMaxAgeMs) {
      spentWei = seen.spentWei;
    } else {
      spentWei = BigInt((await this.#redis.get(key)) ?? '0');
      this.#remember(tenant.name, key, spentWei);
    }
    if (spentWei >= tenant.budget.limitWei) throw this.#exhausted(tenant, spentWei, resetsInSeconds);
  }

  /**
   * Charges `wei` before the gateway pays it; throws GATEWAY_BUDGET_EXHAUSTED
   * (and charges nothing) when the tenant had already reached its budget.
   * Returns the function that gives the charge back if the payment is not made.
   */
  async reserve(tenant: Tenant, wei: bigint): Promise<() => Promise<void>> {
    if (wei < 0n) throw new RangeError(`cannot charge a negative amount (${wei})`);
    const { key, ttlSeconds, resetsInSeconds } = this.#period(tenant);
    const limit = tenant.budget === undefined ? '' : String(tenant.budget.limitWei);
    const [applied, total] = (await this.#redis.eval(SPEND_SCRIPT, 1, key, String(wei), limit, String(ttlSeconds), 'charge')) as [number, string];
    this.#remember(tenant.name, key, BigInt(total));
    if (applied !== 1) throw this.#exhausted(tenant, BigInt(total), resetsInSeconds);
    return async () => {
      await this.#redis.eval(SPEND_SCRIPT, 1, key, String(wei), '', String(ttlSeconds), 'refund');
      this.#seen.delete(tenant.name);
    };
  }
}
