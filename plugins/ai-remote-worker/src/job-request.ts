/**
 * A validated AIPipelineRequest as the NotifyAIJob's `requestData`: JSON
 * `{"input_url", "request"}` where `request` is what go-livepeer marshals from
 * its typed request struct and the worker unmarshals into the same struct.
 * So the model is always present (`model` for llm, `model_id` elsewhere: the
 * worker refuses a job without it), multipart form fields carry their schema
 * types (numbers and booleans, not the form's strings), and the binary input
 * (`image` or `audio`) is null, its bytes stored for the worker to download
 * from `input_url`.
 */
import { errors, type AIPipelineName, type AIPipelineRequest, type AIUpload } from '@lpx/sdk';

type FieldType = 'number' | 'integer' | 'boolean';

/** The multipart pipelines' non-string fields (ai-runner's openapi Body_gen* schemas). */
const FORM_FIELD_TYPES: Readonly<Partial<Record<AIPipelineName, Readonly<Record<string, FieldType>>>>> = {
  'image-to-image': {
    strength: 'number',
    guidance_scale: 'number',
    image_guidance_scale: 'number',
    safety_check: 'boolean',
    seed: 'integer',
    num_inference_steps: 'integer',
    num_images_per_prompt: 'integer',
  },
  'image-to-video': {
    height: 'integer',
    width: 'integer',
    fps: 'integer',
    motion_bucket_id: 'integer',
    noise_aug_strength: 'number',
    safety_check: 'boolean',
    seed: 'integer',
    num_inference_steps: 'integer',
  },
  upscale: { safety_check: 'boolean', seed: 'integer', num_inference_steps: 'integer' },
  'segment-anything-2': { multimask_output: 'boolean', return_logits: 'boolean', normalize_coords: 'boolean' },
};

/** The one binary input of each multipart pipeline. */
export const INPUT_FIELD: Readonly<Partial<Record<AIPipelineName, string>>> = {
  'image-to-image': 'image',
  'image-to-video': 'image',
  upscale: 'image',
  'segment-anything-2': 'image',
  'image-to-text': 'image',
  'audio-to-text': 'audio',
};

export function modelField(pipeline: AIPipelineName): 'model' | 'model_id' {
  return pipeline === 'llm' ? 'model' : 'model_id';
}

function invalid(pipeline: string, field: string, message: string): Error {
  return errors.ai.REQUEST_INVALID.create(`${pipeline}: ${message}`, { details: { pipeline, field } });
}

/** Go's strconv.ParseBool, which the form binding uses. */
const BOOLEAN: Readonly<Record<string, boolean>> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };

function typedField(pipeline: AIPipelineName, field: string, value: string): unknown {
  const type = FORM_FIELD_TYPES[pipeline]?.[field];
  if (type === undefined) return value;
  if (type === 'boolean') {
    const parsed = BOOLEAN[value.trim()];
    if (parsed === undefined) throw invalid(pipeline, field, `field ${field} must be a boolean, got ${JSON.stringify(value)}`);
    return parsed;
  }
  const parsed = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(parsed) || (type === 'integer' && !Number.isInteger(parsed))) {
    throw invalid(pipeline, field, `field ${field} must be ${type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

export interface WorkerJob {
  /** The request as the worker's typed struct reads it. */
  readonly request: Record<string, unknown>;
  /** The binary input, stored and sent as `input_url`. */
  readonly input?: AIUpload;
}

export function workerJob(request: AIPipelineRequest): WorkerJob {
  const { pipeline, body } = request;
  const out: Record<string, unknown> = {};
  let input: AIUpload | undefined;
  if (body.kind === 'json') Object.assign(out, body.json);
  else {
    for (const [field, value] of Object.entries(body.fields)) out[field] = typedField(pipeline, field, value);
    const inputField = INPUT_FIELD[pipeline];
    if (inputField !== undefined) {
      input = body.files.find((file) => file.field === inputField);
      if (input === undefined) throw invalid(pipeline, inputField, `the ${inputField} file is missing`);
      out[inputField] = null;
    }
  }
  out[modelField(pipeline)] = request.modelId;
  if (request.stream) out['stream'] = true;
  return { request: out, ...(input !== undefined ? { input } : {}) };
}

export function encodeRequestData(inputUrl: string, request: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ input_url: inputUrl, request }));
}
