import { coreServices, definePlugin, selectionAlgorithmsExtensionPoint, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { MinLSSelectionAlgorithm, type MinLSOptions } from './min-ls-algorithm.js';

export { latencyScore, MIN_SCORE_DENOMINATOR_MS } from './latency-score.js';
export { MIN_LS_DEFAULTS, MinLSSelectionAlgorithm, type MinLSOptions } from './min-ls-algorithm.js';

const manifest = manifestJson as PluginManifest;

/** Contributes the `min-ls` selection algorithm (go-livepeer's transcoding selector). */
export const selectionLatencyPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, algorithms: selectionAlgorithmsExtensionPoint },
      init({ config, algorithms }) {
        algorithms.addAlgorithm(new MinLSSelectionAlgorithm(config.get<Partial<MinLSOptions>>()));
      },
    });
  },
});

export default selectionLatencyPlugin;
