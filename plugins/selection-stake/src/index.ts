import { coreServices, definePlugin, selectionAlgorithmsExtensionPoint, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { ProbabilitySelectionAlgorithm, type ProbabilityOptions } from './probability-algorithm.js';

export { PROBABILITY_DEFAULTS, ProbabilitySelectionAlgorithm, type ProbabilityOptions } from './probability-algorithm.js';
export { drawIndex, selectionProbabilities, type ProbabilityWeights } from './probabilities.js';

const manifest = manifestJson as PluginManifest;

/** Contributes the `probability` selection algorithm, configured like go-livepeer's -select* flags. */
export const selectionStakePlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, algorithms: selectionAlgorithmsExtensionPoint },
      init({ config, algorithms }) {
        algorithms.addAlgorithm(new ProbabilitySelectionAlgorithm(config.get<Partial<ProbabilityOptions>>()));
      },
    });
  },
});

export default selectionStakePlugin;
