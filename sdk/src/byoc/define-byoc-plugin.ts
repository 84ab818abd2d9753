import { fileURLToPath } from 'node:url';
import { definePlugin, type PluginDefinition } from '../define-plugin.js';
import { errors } from '../errors/catalogue.js';
import { byocAppsExtensionPoint, type ByocAppHooks } from '../extension-points/byoc-apps.js';
import type { PluginManifest } from '../manifest/schema.js';

export interface DefineByocPluginOptions {
  /** The plugin's manifest; its `byoc` section is the app. */
  readonly manifest: PluginManifest;
  /** `import.meta.url` of the plugin's entry module: the package folder is found from it. */
  readonly moduleUrl: string;
  /** How many folders the entry module sits below the package root (`dist/index.js` → 1). Default 1. */
  readonly depth?: number;
  readonly hooks?: ByocAppHooks;
}

/**
 * A BYOC partner plugin: the manifest declares the app; this contributes it
 * to `byoc.apps`, where the hosting plugin picks it up. Partners write no
 * other code unless they want hooks.
 */
export function defineByocPlugin(options: DefineByocPluginOptions): PluginDefinition {
  const { manifest } = options;
  const spec = manifest.byoc;
  if (spec === undefined) throw errors.plugin.MANIFEST_INVALID.create(`plugin "${manifest.id}": defineByocPlugin needs a manifest with a "byoc" section`);
  let packageDir = fileURLToPath(new URL('.', options.moduleUrl));
  for (let i = 0; i < (options.depth ?? 1); i++) packageDir = fileURLToPath(new URL('..', `file://${packageDir}`));
  return definePlugin({
    manifest,
    register(registrar) {
      registrar.registerInit({
        deps: { apps: byocAppsExtensionPoint },
        init({ apps }) {
          apps.addApp({
            pluginId: manifest.id,
            pluginVersion: manifest.version,
            spec,
            packageDir,
            ...(options.hooks !== undefined ? { hooks: options.hooks } : {}),
          });
        },
      });
    },
  });
}
