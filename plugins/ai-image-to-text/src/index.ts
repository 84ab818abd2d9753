import type { PluginManifest } from '@lpx/sdk';
import { defineAIPipelinePlugin } from '@lpx/sdk/ai-kit';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { imageToTextPipeline } from './image-to-text.js';

export { imageToTextPipeline } from './image-to-text.js';

/** Adds the image-to-text pipeline to the kernel's `ai.pipelines`. */
export const aiImageToTextPlugin = defineAIPipelinePlugin(manifestJson as PluginManifest, () => imageToTextPipeline);

export default aiImageToTextPlugin;
