/**
 * Which capabilities the gateway routes: those configured (gateway.capabilities,
 * tenants' exact ids, maxPricePerCapability keys) and those a discovered
 * orchestrator offers. Anything else is refused before it can cost a queue, a
 * worker or a Redis connection, so clients cannot make routers without bound.
 */
export interface KnownCapabilitiesDeps {
  readonly configured: Iterable<string>;
  /** Whether an orchestrator in the pool offers it now. */
  readonly offered: (capabilityId: string) => boolean;
  /** Settles when the gateway's first discovery round has (so a job right after start is not refused). */
  readonly firstDiscovery: () => Promise<void>;
}

export interface KnownCapabilities {
  /** Known now, without waiting. */
  knownNow(capabilityId: string): boolean;
  /** Known now, or once the first discovery round is in. */
  knows(capabilityId: string): Promise<boolean>;
  readonly configured: ReadonlySet<string>;
}

export function knownCapabilities(deps: KnownCapabilitiesDeps): KnownCapabilities {
  const configured = new Set(deps.configured);
  // Once an orchestrator offered it, it stays known while this process runs: an orchestrator that
  // restarts or is suspended makes its jobs wait or fail over (503), not vanish (404). Only
  // discovered orchestrators add to this set, never clients, so it stays bounded.
  const offeredOnce = new Set<string>();
  const knownNow = (capabilityId: string): boolean => {
    if (configured.has(capabilityId) || offeredOnce.has(capabilityId)) return true;
    if (!deps.offered(capabilityId)) return false;
    offeredOnce.add(capabilityId);
    return true;
  };
  return {
    configured,
    knownNow,
    async knows(capabilityId) {
      if (knownNow(capabilityId)) return true;
      await deps.firstDiscovery();
      return knownNow(capabilityId);
    },
  };
}
