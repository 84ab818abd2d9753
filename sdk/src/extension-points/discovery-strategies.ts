import { createExtensionPoint } from '../refs/extension-point.js';
import type { OrchestratorCandidate } from '../services/discovery.js';

/** Where a gateway learns of orchestrators: a static list, a webhook, the chain... */
export interface DiscoveryStrategy {
  readonly name: string;
  discover(signal: AbortSignal): Promise<OrchestratorCandidate[]>;
}

export interface DiscoveryStrategiesExtensionPoint {
  addStrategy(strategy: DiscoveryStrategy): void;
}

export const discoveryStrategiesExtensionPoint = createExtensionPoint<DiscoveryStrategiesExtensionPoint>({
  id: 'discovery.strategies',
});
