/** One orchestrator a discovery strategy knows of. */
export interface OrchestratorCandidate {
  /** https://host:port as go-livepeer's -orchAddr / ServiceRegistry URI. */
  readonly uri: string;
  /** Optional weight from the source (webhook score, stake). */
  readonly score?: number;
  readonly address?: string;
}

/** The discovery kernel service; strategies plug in through discoveryStrategiesExtensionPoint. */
export interface DiscoveryService {
  /** All candidates from every configured strategy, de-duplicated by uri. */
  candidates(): Promise<OrchestratorCandidate[]>;
}
