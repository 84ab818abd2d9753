/**
 * The `requestData` of a NotifyAIJob: JSON `{"input_url", "request"}` where
 * `request` is the pipeline's request body as go-livepeer's worker parses it.
 * go-livepeer marshals its typed request struct, so the model is always
 * present (`model` for llm, `model_id` elsewhere: the worker rejects a job
 * without it) and the binary input's field (`image` or `audio`) is null, the
 * bytes having gone to storage behind `input_url`.
 */
import { AI_CAPABILITY_IDS, pipelineToLivepeerCapability } from '../../capabilities/index.js';
import { aiWorkerErrors } from './remote-ai-errors.js';

const INPUT_FIELD: Readonly<Record<string, string>> = {
  'image-to-image': 'image',
  upscale: 'image',
  'image-to-video': 'image',
  'segment-anything-2': 'image',
  'image-to-text': 'image',
  'audio-to-text': 'audio',
};

export function isAIPipeline(pipeline: string): boolean {
  const id = pipelineToLivepeerCapability(pipeline);
  return id !== undefined && AI_CAPABILITY_IDS.includes(id);
}

export function modelField(pipeline: string): string {
  return pipeline === 'llm' ? 'model' : 'model_id';
}

/** The request as the worker should see it; throws REQUEST_INVALID for a request that is not a JSON object. */
export function workerRequest(pipeline: string, modelId: string, request: unknown, hasInput: boolean): Record<string, unknown> {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw aiWorkerErrors.REQUEST_INVALID.create(`${pipeline} request must be a JSON object`);
  }
  const out: Record<string, unknown> = { ...(request as Record<string, unknown>) };
  const field = modelField(pipeline);
  if (typeof out[field] !== 'string' || out[field] === '') out[field] = modelId;
  const inputField = INPUT_FIELD[pipeline];
  if (hasInput && inputField !== undefined) out[inputField] = null;
  return out;
}

export function encodeRequestData(inputUrl: string, request: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ input_url: inputUrl, request }));
}
