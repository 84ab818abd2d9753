import type { PluginManifest } from '@lpx/sdk';
import { defineAIPipelinePlugin } from '@lpx/sdk/ai-kit';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { imageToImagePipeline } from './image-to-image.js';

export { imageToImagePipeline } from './image-to-image.js';

/** Adds the image-to-image pipeline to the kernel's `ai.pipelines`. */
export const aiImageToImagePlugin = defineAIPipelinePlugin(manifestJson as PluginManifest, () => imageToImagePipeline);

export default aiImageToImagePlugin;
