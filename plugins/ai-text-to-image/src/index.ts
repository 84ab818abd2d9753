import type { PluginManifest } from '@lpx/sdk';
import { defineAIPipelinePlugin } from '@lpx/sdk/ai-kit';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { textToImagePipeline } from './text-to-image.js';

export { DEFAULT_SIDE, textToImagePipeline } from './text-to-image.js';

/** Adds the text-to-image pipeline to the kernel's `ai.pipelines`. */
export const aiTextToImagePlugin = defineAIPipelinePlugin(manifestJson as PluginManifest, () => textToImagePipeline);

export default aiTextToImagePlugin;
