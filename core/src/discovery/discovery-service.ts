import { errors, type DiscoveryService, type DiscoveryStrategiesExtensionPoint, type DiscoveryStrategy, type LoggerService, type OrchestratorCandidate } from '@lpx/sdk';

/** The kernel's discovery: every strategy a plugin contributed, merged and de-duplicated by uri. */
export class KernelDiscovery implements DiscoveryService, DiscoveryStrategiesExtensionPoint {
  readonly #strategies: DiscoveryStrategy[] = [];
  readonly #logger: LoggerService | undefined;

  constructor(logger?: LoggerService) {
    this.#logger = logger;
  }

  addStrategy(strategy: DiscoveryStrategy): void {
    if (this.#strategies.some((s) => s.name === strategy.name)) {
      throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`discovery strategy ${strategy.name} is registered twice`);
    }
    this.#strategies.push(strategy);
  }

  /** A failing strategy costs its own candidates only; the others still count. The first strategy to name a uri wins. */
  async candidates(signal: AbortSignal = new AbortController().signal): Promise<OrchestratorCandidate[]> {
    const results = await Promise.allSettled(this.#strategies.map((s) => s.discover(signal)));
    const byUri = new Map<string, OrchestratorCandidate>();
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        this.#logger?.warn({ strategy: this.#strategies[i]!.name, err: result.reason }, 'discovery strategy failed; using the others');
        return;
      }
      for (const candidate of result.value) if (!byUri.has(candidate.uri)) byUri.set(candidate.uri, candidate);
    });
    return [...byUri.values()];
  }
}
