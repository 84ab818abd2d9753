import { coreServices, definePlugin, discoveryStrategiesExtensionPoint, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { OnchainDiscoveryStrategy } from './onchain-strategy.js';

export { redactRpcUrl, toDiscoveryError } from './chain-errors.js';
export { normaliseServiceUri, type ServiceUriCheck } from './normalise-service-uri.js';
export { OnchainDiscoveryStrategy, type OnchainDiscoveryOptions } from './onchain-strategy.js';
export { poolToCandidates, UNTRUSTED_SCORE, type OnchainOrchestrator, type PoolSelection, type SkippedMember } from './pool-to-candidates.js';
export { readLastInitializedRound, readTranscoderPool, type PoolMember } from './read-transcoder-pool.js';
export { controllerKey, resolveDiscoveryContracts, type DiscoveryContracts, type ResolveOptions } from './resolve-contracts.js';

/** go-livepeer's -aiServiceRegistry flag points at this registry on Arbitrum One. */
export const ARBITRUM_AI_SERVICE_REGISTRY = '0x04C0b249740175999E5BF5c9ac1dA92431EF34C5';

export interface OnchainDiscoveryConfig {
  rpcUrl: string;
  controller: string;
  aiServiceRegistry?: string;
  refreshMs: number;
  timeoutMs: number;
  includeInactive: boolean;
}

const manifest = manifestJson as PluginManifest;

/** Contributes the `onchain` discovery strategy from `plugins.discovery-onchain.config`. */
export const discoveryOnchainPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, lifecycle: coreServices.lifecycle, strategies: discoveryStrategiesExtensionPoint },
      init({ config, logger, lifecycle, strategies }) {
        const strategy = new OnchainDiscoveryStrategy({ ...config.get<OnchainDiscoveryConfig>(), logger });
        strategies.addStrategy(strategy);
        // Read once in the background at start so the first job finds a warm list; go-livepeer
        // likewise reads the transcoder pool at start-up. A failure here is not fatal: discover retries.
        lifecycle.onStart(() => {
          strategy.refresh().catch((error: unknown) => logger.warn({ code: (error as { code?: string }).code }, `initial on-chain discovery read failed: ${(error as Error).message}`));
        });
        lifecycle.onShutdown(() => strategy.close());
      },
    });
  },
});

export default discoveryOnchainPlugin;
