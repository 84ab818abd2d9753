import { errors, type DiscoveryService, type DiscoveryStrategiesExtensionPoint, type DiscoveryStrategy, type OrchestratorCandidate } from '@lpx/sdk';

/** The kernel's discovery: every strategy a plugin contributed, merged and de-duplicated by uri. */
export class KernelDiscovery implements DiscoveryService, DiscoveryStrategiesExtensionPoint {
  readonly #strategies: DiscoveryStrategy[] = [];

  addStrategy(strategy: DiscoveryStrategy): void {
    if (this.#strategies.some((s) => s.name === strategy.name)) {
      throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`discovery strategy ${strategy.name} is registered twice`);
    }
    this.#strategies.push(strategy);
  }

  get strategyNames(): string[] {
    return this.#strategies.map((s) => s.name);
  }

  async candidates(signal: AbortSignal = new AbortController().signal): Promise<OrchestratorCandidate[]> {
    const results = await Promise.allSettled(this.#strategies.map((s) => s.discover(signal)));
    const byUri = new Map<string, OrchestratorCandidate>();
    for (const result of results) {
      if (result.status !== 'fulfilled') continue;
      for (const candidate of result.value) if (!byUri.has(candidate.uri)) byUri.set(candidate.uri, candidate);
    }
    return [...byUri.values()];
  }
}
