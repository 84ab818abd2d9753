import { definePlugin, selectionAlgorithmsExtensionPoint, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { LiveSelectionAlgorithm } from './live-algorithm.js';

export { LiveSelectionAlgorithm } from './live-algorithm.js';

const manifest = manifestJson as PluginManifest;

/** Contributes the `live` selection algorithm (go-livepeer's live video-to-video choice). */
export const selectionLivePlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { algorithms: selectionAlgorithmsExtensionPoint },
      init({ algorithms }) {
        algorithms.addAlgorithm(new LiveSelectionAlgorithm());
      },
    });
  },
});

export default selectionLivePlugin;
