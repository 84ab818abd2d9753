import type { RunnerPipeline } from '../pipeline.js';
import { audioToText } from './audio-to-text.js';
import { imageToImage } from './image-to-image.js';
import { imageToText } from './image-to-text.js';
import { imageToVideo } from './image-to-video.js';
import { llm } from './llm.js';
import { segmentAnything2 } from './segment-anything-2.js';
import { textToImage } from './text-to-image.js';
import { textToSpeech } from './text-to-speech.js';
import { upscale } from './upscale.js';

/** The batch pipelines ai-runner serves, one per container (env PIPELINE). */
export const RUNNER_PIPELINES: Readonly<Record<string, RunnerPipeline>> = Object.fromEntries(
  [textToImage, imageToImage, imageToVideo, upscale, audioToText, segmentAnything2, llm, imageToText, textToSpeech].map((p) => [p.name, p]),
);
