/**
 * The gateway's clients, read from `gateway.tenants` (ADR 0017): who a bearer
 * key belongs to, what each tenant may run, at what price and within what
 * budget. With no tenants the API is open (the gateway role only allows that
 * on a loopback HTTP edge, see open-gateway.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { errors, type RationalPrice } from '@lpx/sdk';
import type { TenantConfig } from '../../../config/kernel-schema.js';
import { capabilityMatcher, isPattern } from './capability-patterns.js';
import { BoundedMemo } from '../../../memo/bounded-memo.js';

export interface TenantBudget {
  readonly limitWei: bigint;
  readonly periodSeconds: number;
}

export interface Tenant {
  readonly name: string;
  readonly budget: TenantBudget | undefined;
  /** Orchestrators asking more are not picked for this tenant's jobs. */
  readonly maxPrice: RationalPrice | undefined;
  readonly capabilities: readonly string[];
  allows(capabilityId: string): boolean;
}

interface KeyEntry {
  readonly hash: Buffer;
  readonly tenant: Tenant;
}

function budgetOf(config: TenantConfig): TenantBudget | undefined {
  if (config.budget === undefined) return undefined;
  return { limitWei: BigInt(config.budget.spendPerPeriod), periodSeconds: config.budget.periodSeconds ?? 86_400 };
}

function tenantOf(name: string, config: TenantConfig): Tenant {
  const capabilities = config.capabilities ?? ['*'];
  const allows = capabilityMatcher(capabilities);
  return {
    name,
    budget: budgetOf(config),
    maxPrice: config.maxPrice === undefined ? undefined : { pricePerUnit: BigInt(config.maxPrice.pricePerUnit), pixelsPerUnit: BigInt(config.maxPrice.pixelsPerUnit) },
    capabilities,
    allows,
  };
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** Headers already proven valid, so a busy client costs one map read, not a hash and a scan per request. */
const PROVEN_HEADERS_MAX = 1_024;

export class TenantDirectory {
  readonly #tenants = new Map<string, Tenant>();
  readonly #keys: KeyEntry[] = [];
  /** `Authorization` values that matched a key (the directory never changes: config is read once). */
  readonly #proven = new BoundedMemo<string, Tenant>(PROVEN_HEADERS_MAX);

  constructor(config: Readonly<Record<string, TenantConfig>> = {}) {
    for (const [name, entry] of Object.entries(config)) {
      const tenant = tenantOf(name, entry);
      this.#tenants.set(name, tenant);
      for (const hex of entry.keys ?? []) this.#keys.push({ hash: Buffer.from(hex, 'hex'), tenant });
    }
  }

  /** No tenants configured: every caller is let in (loopback only). */
  get open(): boolean {
    return this.#tenants.size === 0;
  }

  get names(): string[] {
    return [...this.#tenants.keys()];
  }

  get(name: string): Tenant | undefined {
    return this.#tenants.get(name);
  }

  /** Exact capability ids named in tenants' lists (patterns name none). */
  get namedCapabilities(): string[] {
    return [...new Set([...this.#tenants.values()].flatMap((t) => t.capabilities.filter((c) => !isPattern(c))))];
  }

  /**
   * The tenant an `Authorization` header belongs to; undefined on an open
   * gateway. Every stored hash is compared, in constant time and without
   * stopping at a match, so timing says nothing about which keys exist; a
   * header that matched before is answered from memory.
   */
  authenticate(authorization: string | undefined): Tenant | undefined {
    if (this.open) return undefined;
    // Only valid keys are remembered: a wrong key always takes the constant-time path below.
    const proven = authorization === undefined ? undefined : this.#proven.get(authorization);
    if (proven !== undefined) return proven;
    const tenant = this.#match(authorization);
    return this.#proven.set(authorization!, tenant);
  }

  #match(authorization: string | undefined): Tenant {
    const match = authorization === undefined ? null : BEARER.exec(authorization);
    if (match === null) throw errors.gateway.API_KEY_REQUIRED.create('this gateway needs an API key: send `Authorization: Bearer <key>`');
    const presented = createHash('sha256').update(match[1]!, 'utf8').digest();
    let found: Tenant | undefined;
    for (const entry of this.#keys) {
      if (timingSafeEqual(presented, entry.hash) && found === undefined) found = entry.tenant;
    }
    if (found === undefined) throw errors.gateway.API_KEY_INVALID.create('the API key is not valid for this gateway');
    return found;
  }
}
