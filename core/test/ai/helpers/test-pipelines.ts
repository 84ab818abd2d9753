// Small real AI pipelines for the kernel's tests, written against the sdk
// contract only: text-to-image (JSON, h×w×n units), upscale (multipart,
// input h×w read from the PNG header) and llm (JSON, max_tokens units,
// server-sent events when streaming). They call the runner over HTTP as a
// pipeline plugin does.
import { errors, isLpxError, type AIPipeline, type AIPipelineRequest, type AIRequestBody, type AIRequestLimits, type AIResultFile, type AIRunnerEndpoint } from '@lpx/sdk';

function json(body: AIRequestBody): Record<string, unknown> {
  if (body.kind !== 'json') throw errors.ai.REQUEST_INVALID.create('expected a JSON body');
  return { ...body.json };
}

function int(value: unknown, field: string, max: number, limit: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw errors.ai.REQUEST_INVALID.create(`${field} must be a positive integer`, { details: { field } });
  if (value > max) throw errors.ai.LIMIT_EXCEEDED.create(`${field} ${value} is over ${limit} (${max})`, { details: { field, limit } });
  return value;
}

async function call(runner: AIRunnerEndpoint, path: string, init: { body: string | FormData; headers?: Record<string, string> }, signal: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${runner.baseUrl}${path}`, { method: 'POST', body: init.body, headers: init.headers ?? {}, signal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw errors.ai.RUNNER_FAILED.create(`the runner did not answer: ${(error as Error).message}`, { cause: error });
  }
  if (res.status !== 200) throw errors.ai.RUNNER_FAILED.create(`the runner answered ${res.status}: ${await res.text()}`);
  return res;
}

/** data: URLs in `images[].url` become files named image-<i>.png, as the contract asks. */
function imagesToFiles(answer: { images?: { url: string; seed?: number; nsfw?: boolean }[] }): { json: unknown; files: AIResultFile[] } {
  const files: AIResultFile[] = [];
  const images = (answer.images ?? []).map((image, i) => {
    const match = /^data:([^;]+);base64,(.*)$/.exec(image.url);
    if (match === null) throw errors.ai.RESULT_INVALID.create('the runner answered an image that is not a data URL');
    const name = `image-${i}.png`;
    files.push({ name, contentType: match[1]!, data: Buffer.from(match[2]!, 'base64') });
    return { ...image, url: name };
  });
  return { json: { images }, files };
}

export const textToImage: AIPipeline = {
  name: 'text-to-image',
  livepeerCapability: 27,
  bodyKind: 'json',
  defaultModel: 'stabilityai/sdxl-turbo',
  unit: 'pixel',
  async validate(body, limits: AIRequestLimits) {
    const fields = json(body);
    const allowed = new Set(['prompt', 'model_id', 'width', 'height', 'num_images_per_prompt', 'seed', 'negative_prompt', 'safety_check', 'guidance_scale', 'num_inference_steps', 'loras']);
    for (const key of Object.keys(fields)) if (!allowed.has(key)) throw errors.ai.REQUEST_INVALID.create(`unknown field "${key}"`, { details: { field: key } });
    if (typeof fields.prompt !== 'string' || fields.prompt === '') throw errors.ai.REQUEST_INVALID.create('prompt is required', { details: { field: 'prompt' } });
    if (fields.prompt.length > limits.maxPromptChars) throw errors.ai.LIMIT_EXCEEDED.create(`prompt is over maxPromptChars (${limits.maxPromptChars})`, { details: { field: 'prompt', limit: 'maxPromptChars' } });
    const width = int(fields.width, 'width', limits.maxImageSide, 'maxImageSide') ?? 512;
    const height = int(fields.height, 'height', limits.maxImageSide, 'maxImageSide') ?? 512;
    const images = int(fields.num_images_per_prompt, 'num_images_per_prompt', 8, 'num_images_per_prompt') ?? 1;
    const modelId = typeof fields.model_id === 'string' && fields.model_id !== '' ? fields.model_id : this.defaultModel;
    return { pipeline: 'text-to-image', modelId, body, stream: false, measures: { width, height, images } };
  },
  units(request) {
    return BigInt(request.measures.width!) * BigInt(request.measures.height!) * BigInt(request.measures.images!);
  },
  async run(request, runner, signal) {
    const res = await call(runner, '/text-to-image', { body: JSON.stringify({ ...json(request.body), model_id: request.modelId }), headers: { 'content-type': 'application/json' } }, signal);
    return { kind: 'json', ...imagesToFiles((await res.json()) as { images: { url: string }[] }) };
  },
};

/** PNG IHDR width/height; anything else is malformed media. */
export function pngSize(data: Uint8Array): { width: number; height: number } {
  const buf = Buffer.from(data);
  if (buf.length < 24 || buf.readUInt32BE(0) !== 0x89504e47 || buf.toString('latin1', 12, 16) !== 'IHDR') throw errors.ai.REQUEST_INVALID.create('image: not a PNG file that can be decoded', { details: { field: 'image' } });
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

export const upscale: AIPipeline = {
  name: 'upscale',
  livepeerCapability: 30,
  bodyKind: 'multipart',
  defaultModel: 'stabilityai/stable-diffusion-x4-upscaler',
  unit: 'pixel',
  async validate(body, limits) {
    if (body.kind !== 'multipart') throw errors.ai.REQUEST_INVALID.create('expected multipart/form-data');
    const image = body.files.find((f) => f.field === 'image');
    if (image === undefined) throw errors.ai.REQUEST_INVALID.create('image is required', { details: { field: 'image' } });
    if (typeof body.fields.prompt !== 'string') throw errors.ai.REQUEST_INVALID.create('prompt is required', { details: { field: 'prompt' } });
    const { width, height } = pngSize(image.data);
    if (width > limits.maxImageSide || height > limits.maxImageSide) throw errors.ai.LIMIT_EXCEEDED.create(`image ${width}×${height} is over maxImageSide`, { details: { limit: 'maxImageSide' } });
    return { pipeline: 'upscale', modelId: body.fields.model_id || this.defaultModel, body, stream: false, measures: { width, height } };
  },
  units: (request) => BigInt(request.measures.width!) * BigInt(request.measures.height!),
  async run(request, runner, signal) {
    if (request.body.kind !== 'multipart') throw errors.ai.REQUEST_INVALID.create('expected multipart/form-data');
    const form = new FormData();
    for (const [k, v] of Object.entries(request.body.fields)) form.set(k, v);
    for (const f of request.body.files) form.set(f.field, new Blob([f.data], { type: f.contentType ?? 'application/octet-stream' }), f.filename ?? f.field);
    const res = await call(runner, '/upscale', { body: form }, signal);
    return { kind: 'json', ...imagesToFiles((await res.json()) as { images: { url: string }[] }) };
  },
};

async function* sseEvents(res: Response): AsyncGenerator<Record<string, unknown>> {
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = block.replace(/^data: ?/, '');
        if (data === '[DONE]') return;
        yield JSON.parse(data) as Record<string, unknown>;
      }
    }
  } catch (error) {
    if (isLpxError(error)) throw error;
    throw errors.ai.RUNNER_FAILED.create(`the runner's stream broke: ${(error as Error).message}`, { cause: error });
  }
  throw errors.ai.RUNNER_FAILED.create('the runner ended the stream without [DONE]');
}

export const llm: AIPipeline = {
  name: 'llm',
  livepeerCapability: 33,
  bodyKind: 'json',
  defaultModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct',
  unit: 'token',
  async validate(body, limits): Promise<AIPipelineRequest> {
    const fields = json(body);
    if (!Array.isArray(fields.messages) || fields.messages.length === 0) throw errors.ai.REQUEST_INVALID.create('messages is required', { details: { field: 'messages' } });
    // go-livepeer's O refuses a request without max_tokens with this text.
    if (fields.max_tokens === undefined) throw errors.ai.REQUEST_INVALID.create('MaxTokens not specified', { details: { field: 'max_tokens' } });
    const maxTokens = int(fields.max_tokens, 'max_tokens', limits.maxTokens, 'maxTokens')!;
    const modelId = typeof fields.model === 'string' && fields.model !== '' ? fields.model : this.defaultModel;
    return { pipeline: 'llm', modelId, body, stream: fields.stream === true, measures: { maxTokens } };
  },
  units: (request) => BigInt(request.measures.maxTokens!),
  async run(request, runner, signal) {
    const res = await call(runner, '/llm', { body: JSON.stringify({ ...json(request.body), model: request.modelId }), headers: { 'content-type': 'application/json' } }, signal);
    if (request.stream) return { kind: 'stream', events: sseEvents(res) };
    return { kind: 'json', json: await res.json(), files: [] };
  },
};
