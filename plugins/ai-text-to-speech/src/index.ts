import type { PluginManifest } from '@lpx/sdk';
import { defineAIPipelinePlugin } from '@lpx/sdk/ai-kit';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { textToSpeechPipeline } from './text-to-speech.js';

export { textToSpeechPipeline } from './text-to-speech.js';

/** Adds the text-to-speech pipeline to the kernel's `ai.pipelines`. */
export const aiTextToSpeechPlugin = defineAIPipelinePlugin(manifestJson as PluginManifest, () => textToSpeechPipeline);

export default aiTextToSpeechPlugin;
