import { coreServices, definePlugin, discoveryStrategiesExtensionPoint, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { discoveryErrors } from './discovery-errors.js';
import { parseOrchAddrs } from './parse-orch-addrs.js';
import { StaticDiscoveryStrategy } from './static-strategy.js';

export { DEFAULT_ORCHESTRATOR_PORT, normaliseOrchAddr, parseOrchAddrs, type ParsedOrchAddrs } from './parse-orch-addrs.js';
export { StaticDiscoveryStrategy, TRUSTED_SCORE } from './static-strategy.js';

export interface StaticDiscoveryConfig {
  orchAddr: string | string[];
}

const manifest = manifestJson as PluginManifest;

/** Contributes the `static` discovery strategy from `plugins.discovery-static.config.orchAddr`. */
export const discoveryStaticPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, strategies: discoveryStrategiesExtensionPoint },
      init({ config, logger, strategies }) {
        const { uris, rejected } = parseOrchAddrs(config.get<StaticDiscoveryConfig>().orchAddr);
        // go-livepeer logs and skips a bad entry rather than refusing to start; so do we, with a code to grep for.
        for (const { entry, reason } of rejected) {
          const error = discoveryErrors.INVALID_ADDRESS.create(`orchAddr entry "${entry}" skipped: ${reason}`);
          logger.error({ code: error.code, entry }, error.message);
        }
        if (uris.length === 0) logger.warn('discovery-static has no orchestrators (orchAddr is empty)');
        strategies.addStrategy(new StaticDiscoveryStrategy(uris));
      },
    });
  },
});

export default discoveryStaticPlugin;
