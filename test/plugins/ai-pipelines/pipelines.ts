import type { AIPipeline, AIPipelineName } from '@lpx/sdk';
import { audioToTextPipeline } from '@lpx/plugin-ai-audio-to-text';
import { imageToImagePipeline } from '@lpx/plugin-ai-image-to-image';
import { imageToTextPipeline } from '@lpx/plugin-ai-image-to-text';
import { imageToVideoPipeline } from '@lpx/plugin-ai-image-to-video';
import { llmPipeline } from '@lpx/plugin-ai-llm';
import { segmentAnything2Pipeline } from '@lpx/plugin-ai-segment-anything-2';
import { textToImagePipeline } from '@lpx/plugin-ai-text-to-image';
import { textToSpeechPipeline } from '@lpx/plugin-ai-text-to-speech';
import { upscalePipeline } from '@lpx/plugin-ai-upscale';

/** The nine pipeline plugins' pipelines, by name. */
export const PIPELINES: Readonly<Record<AIPipelineName, AIPipeline>> = {
  'text-to-image': textToImagePipeline,
  'image-to-image': imageToImagePipeline,
  'image-to-video': imageToVideoPipeline,
  upscale: upscalePipeline,
  'audio-to-text': audioToTextPipeline,
  'segment-anything-2': segmentAnything2Pipeline,
  llm: llmPipeline,
  'image-to-text': imageToTextPipeline,
  'text-to-speech': textToSpeechPipeline,
};
