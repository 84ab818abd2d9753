import type { PluginManifest } from '@lpx/sdk';
import { defineAIPipelinePlugin } from '@lpx/sdk/ai-kit';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { segmentAnything2Pipeline } from './segment-anything-2.js';

export { segmentAnything2Pipeline } from './segment-anything-2.js';

/** Adds the segment-anything-2 pipeline to the kernel's `ai.pipelines`. */
export const aiSegmentAnything2Plugin = defineAIPipelinePlugin(manifestJson as PluginManifest, () => segmentAnything2Pipeline);

export default aiSegmentAnything2Plugin;
