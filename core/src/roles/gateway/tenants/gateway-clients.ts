/**
 * Everything the gateway role needs to know about its clients, built once
 * from config (ADR 0017): the tenant directory, the Redis budget counters,
 * the capabilities it routes, and per-job hooks for the router (the tenant's
 * max price when picking, its budget when paying).
 */
import type { Redis } from 'ioredis';
import { errors, type RationalPrice } from '@lpx/sdk';
import type { KernelConfig } from '../../../config/kernel-schema.js';
import { checkOpenGateway } from './open-gateway.js';
import { knownCapabilities, type KnownCapabilities } from './known-capabilities.js';
import { TenantBudgets } from './tenant-budgets.js';
import { TenantDirectory } from './tenant-directory.js';
import { assertGatewayCapabilityIds } from '../../../config/start-refusals.js';

export interface GatewayClientsOptions {
  readonly config: KernelConfig;
  readonly redis: Redis;
  /** Whether a discovered orchestrator offers the capability. */
  readonly offered: (capabilityId: string) => boolean;
  readonly warn: (message: string) => void;
}

export interface GatewayClients {
  readonly tenants: TenantDirectory;
  readonly budgets: TenantBudgets;
  readonly capabilities: KnownCapabilities;
  /** Call once the first discovery round has settled: requests for not-yet-known capabilities wait for it. */
  discovered(): void;
  /** The tenant's max price, for picking an orchestrator for its job. */
  maxPriceOf(tenant: string | undefined): RationalPrice | undefined;
  /** The job sender's `charge` hook for a tenant's job; undefined on an open gateway. */
  chargeFor(tenant: string | undefined): ((wei: bigint) => Promise<() => Promise<void>>) | undefined;
}

export function gatewayClients(options: GatewayClientsOptions): GatewayClients {
  const { config } = options;
  assertGatewayCapabilityIds(config.gateway.capabilities);
  const tenants = new TenantDirectory(config.gateway.tenants);
  // Throws when an open gateway would listen beyond loopback; warns when it is open at all.
  checkOpenGateway({ open: tenants.open, httpEnabled: config.http.enabled, httpHost: config.http.host, warn: options.warn });
  const budgets = new TenantBudgets(options.redis, config.redis.prefix);
  let markDiscovered!: () => void;
  const firstDiscovery = new Promise<void>((resolve) => (markDiscovered = resolve));
  const capabilities = knownCapabilities({
    configured: [...config.gateway.capabilities, ...tenants.namedCapabilities, ...Object.keys(config.gateway.maxPricePerCapability).map((key) => key.split('#')[0]!)],
    offered: options.offered,
    firstDiscovery: () => firstDiscovery,
  });
  return {
    tenants,
    budgets,
    capabilities,
    discovered: () => markDiscovered(),
    maxPriceOf: (name) => (name === undefined ? undefined : tenants.get(name)?.maxPrice),
    chargeFor(name) {
      if (name === undefined) return undefined;
      return async (wei) => {
        const tenant = tenants.get(name);
        // A tenant removed from config after queueing a job gets nothing more paid for it.
        if (tenant === undefined) throw errors.gateway.BUDGET_EXHAUSTED.create(`tenant ${name} is no longer configured on this gateway; its queued jobs are not paid for`);
        return budgets.reserve(tenant, wei);
      };
    },
  };
}
