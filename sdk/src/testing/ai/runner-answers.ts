import { imageSize } from 'image-size';
import type { AIPipelineName } from '../../ai/pipelines.js';
import { dataUrl, silentWav, solidPng } from './synthetic-media.js';

export interface DoubleRequest {
  readonly fields: Record<string, unknown>;
  readonly files: Record<string, Uint8Array>;
}

const int = (value: unknown, fallback: number): number => (value === undefined || value === '' ? fallback : Number(value));

function inputSize(request: DoubleRequest): { width: number; height: number } {
  const image = request.files['image'];
  if (!image) return { width: 64, height: 64 };
  const size = imageSize(image);
  return { width: size.width, height: size.height };
}

function media(width: number, height: number, seed: number): { url: string; seed: number; nsfw: boolean } {
  return { url: dataUrl('image/png', solidPng(width, height)), seed, nsfw: false };
}

/**
 * What a runner answers per pipeline, in the ai-runner API's shapes, with
 * media sized as asked (runner defaults where unset) so callers can check
 * sizes. The content is flat colour: there is no model behind it.
 */
export function runnerAnswer(pipeline: AIPipelineName, request: DoubleRequest, modelId: string): unknown {
  const f = request.fields;
  const seed = int(f['seed'], 42);
  switch (pipeline) {
    case 'text-to-image': {
      const n = int(f['num_images_per_prompt'], 1);
      return { images: Array.from({ length: n }, (_, i) => media(int(f['width'], 1024), int(f['height'], 576), seed + i)) };
    }
    case 'image-to-image': {
      const { width, height } = inputSize(request);
      return { images: Array.from({ length: int(f['num_images_per_prompt'], 1) }, (_, i) => media(width, height, seed + i)) };
    }
    case 'upscale': {
      const { width, height } = inputSize(request);
      return { images: [media(width * 4, height * 4, seed)] };
    }
    case 'image-to-video': {
      // Real SVD runners give 25 frames; four keep the double cheap.
      const width = int(f['width'], 1024);
      const height = int(f['height'], 576);
      return { frames: [Array.from({ length: 4 }, () => media(width, height, seed))] };
    }
    case 'audio-to-text':
      return { text: ' runner double transcript', chunks: [{ text: ' runner double transcript', timestamp: [0, 1] }] };
    case 'segment-anything-2':
      return { masks: '[[[0, 1], [1, 0]]]', scores: '[0.9]', logits: '[[[0.1, 0.9], [0.9, 0.1]]]' };
    case 'image-to-text':
      return { text: 'a flat blue square' };
    case 'text-to-speech': {
      const text = typeof f['text'] === 'string' ? f['text'] : '';
      return { audio: { url: dataUrl('audio/wav', silentWav(Math.max(500, text.length * 60))) } };
    }
    case 'llm':
      return {
        id: 'chatcmpl-double',
        model: modelId,
        created: 1_700_000_000,
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the runner double.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 },
      };
  }
}

/** The LLM's streamed answer: one chunk per word, then a last chunk with usage, as the runner sends them. */
export function llmStreamChunks(modelId: string): Record<string, unknown>[] {
  const words = ['Hello', ' from', ' the', ' runner', ' double.'];
  const base = { id: 'chatcmpl-double', model: modelId, created: 1_700_000_000 };
  return [
    ...words.map((content) => ({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: '' }] })),
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 } },
  ];
}
