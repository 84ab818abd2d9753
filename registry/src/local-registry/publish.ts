import { packPluginFolder } from '../package/pack-folder.js';
import { storeRelease, type PublishResult } from './store-release.js';

export type { PublishResult } from './store-release.js';

/**
 * Packs a plugin folder (see `collectPluginFiles` and `inspectPluginPackage`
 * for the convention), validates its manifest and writes it into a local
 * registry folder (see `storeRelease`).
 */
export async function publishToLocalRegistry(root: string, pluginDir: string): Promise<PublishResult> {
  return storeRelease(root, await packPluginFolder(pluginDir));
}
