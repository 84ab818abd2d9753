import type { PluginManifest } from '@lpx/sdk';
import { defineAIPipelinePlugin } from '@lpx/sdk/ai-kit';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { upscalePipeline } from './upscale.js';

export { upscalePipeline } from './upscale.js';

/** Adds the upscale pipeline to the kernel's `ai.pipelines`. */
export const aiUpscalePlugin = defineAIPipelinePlugin(manifestJson as PluginManifest, () => upscalePipeline);

export default aiUpscalePlugin;
