import type { PluginManifest } from '@lpx/sdk';
import { defineAIPipelinePlugin } from '@lpx/sdk/ai-kit';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { createImageToVideoPipeline, type ImageToVideoOptions } from './image-to-video.js';

export { BILLED_FRAMES, createImageToVideoPipeline, DEFAULT_ENCODE_FPS, DEFAULT_HEIGHT, DEFAULT_WIDTH, imageToVideoPipeline, type ImageToVideoOptions } from './image-to-video.js';

/** Adds the image-to-video pipeline to the kernel's `ai.pipelines` (ffmpeg from the plugin config). */
export const aiImageToVideoPlugin = defineAIPipelinePlugin<ImageToVideoOptions>(manifestJson as PluginManifest, (config) => createImageToVideoPipeline(config));

export default aiImageToVideoPlugin;
