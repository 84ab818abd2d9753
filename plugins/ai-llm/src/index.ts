import type { PluginManifest } from '@lpx/sdk';
import { defineAIPipelinePlugin } from '@lpx/sdk/ai-kit';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { llmPipeline } from './llm.js';

export { llmPipeline } from './llm.js';

/** Adds the llm pipeline to the kernel's `ai.pipelines`. */
export const aiLlmPlugin = defineAIPipelinePlugin(manifestJson as PluginManifest, () => llmPipeline);

export default aiLlmPlugin;
