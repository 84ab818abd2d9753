import type { PluginManifest } from '@lpx/sdk';
import { defineAIPipelinePlugin } from '@lpx/sdk/ai-kit';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { audioToTextPipeline } from './audio-to-text.js';

export { audioToTextPipeline } from './audio-to-text.js';

/** Adds the audio-to-text pipeline to the kernel's `ai.pipelines`. */
export const aiAudioToTextPlugin = defineAIPipelinePlugin(manifestJson as PluginManifest, () => audioToTextPipeline);

export default aiAudioToTextPlugin;
