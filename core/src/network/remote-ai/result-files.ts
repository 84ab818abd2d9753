/**
 * Moving a worker's result files into our store and pointing the result JSON
 * at them. go-livepeer does this only where the response schema carries media
 * URLs: `images[].url` for the image and video pipelines, `audio.url` for
 * text-to-speech; there the worker wrote the part's filename, and the
 * orchestrator replaces it with the stored file's URL. Other pipelines answer
 * in text and their JSON passes through untouched.
 */
import type { AIResult, AIResultFile, WorkerFile } from './ai-result.js';
import type { FileStore } from './file-store.js';
import { aiWorkerErrors } from './remote-ai-errors.js';

const IMAGE_URL_PIPELINES: ReadonlySet<string> = new Set(['text-to-image', 'image-to-image', 'upscale', 'image-to-video']);
const AUDIO_URL_PIPELINES: ReadonlySet<string> = new Set(['text-to-speech']);

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(message: string): Error {
  return aiWorkerErrors.RESULT_INVALID.create(message);
}

/** Every `{url}` object in the JSON whose URL names one of the worker's files. */
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

export function storeResultFiles(pipeline: string, json: unknown, files: readonly WorkerFile[], store: FileStore, baseUrl: string): Extract<AIResult, { kind: 'json' }> {
  const rewritten = structuredClone(json);
  const slots = mediaSlots(pipeline, rewritten);
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const slot of slots) {
    const name = slot['url'];
    if (typeof name !== 'string' || !byName.has(name)) {
      throw invalid(`${pipeline} result names file ${JSON.stringify(name)} but the worker sent no part with that filename`);
    }
  }
  const stored = new Map<string, AIResultFile>();
  for (const file of files) {
    const { path } = store.put(file.name, file.contentType, file.body);
    stored.set(file.name, { contentType: file.contentType, body: file.body, url: `${baseUrl}${path}` });
  }
  for (const slot of slots) slot['url'] = stored.get(slot['url'] as string)!.url;
  return { kind: 'json', json: rewritten, files: stored };
}
