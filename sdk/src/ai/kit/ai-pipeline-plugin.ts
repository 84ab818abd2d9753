import { definePlugin } from '../../define-plugin.js';
import { aiPipelinesExtensionPoint, type AIPipeline } from '../../extension-points/ai-pipelines.js';
import type { PluginManifest } from '../../manifest/schema.js';
import { coreServices } from '../../services/core-services.js';

/**
 * A plugin that adds one pipeline to the kernel's `ai.pipelines`, built from
 * the plugin's config slice at init (each pipeline plugin is this plus its
 * definition).
 */
export function defineAIPipelinePlugin<Config extends object>(manifest: PluginManifest, create: (config: Partial<Config>) => AIPipeline) {
  return definePlugin({
    manifest,
    register(reg) {
      reg.registerInit({
        deps: { config: coreServices.config, pipelines: aiPipelinesExtensionPoint },
        init({ config, pipelines }) {
          pipelines.addPipeline(create(config.get<Partial<Config>>() ?? {}));
        },
      });
    },
  });
}
