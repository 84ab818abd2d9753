/**
 * A worker's answer as an AIPipelineResult. go-livepeer rewrites file URLs
 * only where the response schema carries media: `images[].url` for the image
 * and video pipelines, `audio.url` for text-to-speech; there the worker wrote
 * a part's filename. We check those names against the parts and hand the
 * files on under the same names (the kernel stores them and rewrites the
 * URLs). Other pipelines answer in text; their JSON passes through and stray
 * parts are dropped. Stream chunks that are not JSON objects are skipped.
 */
import { errors, type AIPipelineName, type AIPipelineResult, type AIResultFile } from '@lpx/sdk';
import type { JobResult } from './pool/remote-ai-pool.js';
import type { WorkerFile } from './pool/worker-outcome.js';

const IMAGE_URL_PIPELINES: ReadonlySet<string> = new Set(['text-to-image', 'image-to-image', 'upscale', 'image-to-video']);
const AUDIO_URL_PIPELINES: ReadonlySet<string> = new Set(['text-to-speech']);

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(message: string): Error {
  return errors.aiWorker.RESULT_INVALID.create(message);
}

/** Every `{url}` object in the JSON that must name one of the worker's files. */
function mediaSlots(pipeline: string, json: unknown): JsonObject[] {
  if (!isObject(json)) throw invalid(`${pipeline} result JSON is not an object`);
  if (IMAGE_URL_PIPELINES.has(pipeline)) {
    const images = json['images'] ?? [];
    if (!Array.isArray(images)) throw invalid(`${pipeline} result JSON has "images" that is not an array`);
    return images.map((image, index) => {
      if (!isObject(image)) throw invalid(`${pipeline} result image ${index} is not an object`);
      return image;
    });
  }
  if (AUDIO_URL_PIPELINES.has(pipeline)) {
    const audio = json['audio'];
    if (!isObject(audio)) throw invalid(`${pipeline} result JSON has no "audio" object`);
    return [audio];
  }
  return [];
}

function filesResult(pipeline: AIPipelineName, json: unknown, files: readonly WorkerFile[]): AIPipelineResult {
  const byName = new Map(files.map((file) => [file.name, file]));
  const used = new Map<string, AIResultFile>();
  for (const slot of mediaSlots(pipeline, json)) {
    const name = slot['url'];
    const file = typeof name === 'string' ? byName.get(name) : undefined;
    if (file === undefined) throw invalid(`${pipeline} result names file ${JSON.stringify(name)} but the worker sent no part with that filename`);
    used.set(file.name, { name: file.name, contentType: file.contentType, data: file.body });
  }
  return { kind: 'json', json, files: [...used.values()] };
}

async function* objectsOf(chunks: AsyncIterable<unknown>, mapError: (error: unknown) => unknown): AsyncGenerator<Readonly<Record<string, unknown>>> {
  try {
    for await (const chunk of chunks) if (isObject(chunk)) yield chunk;
  } catch (error) {
    throw mapError(error);
  }
}

export function toPipelineResult(pipeline: AIPipelineName, result: JobResult, mapError: (error: unknown) => unknown): AIPipelineResult {
  if (result.kind === 'stream') return { kind: 'stream', events: objectsOf(result.chunks, mapError) };
  return filesResult(pipeline, result.json, result.files);
}
