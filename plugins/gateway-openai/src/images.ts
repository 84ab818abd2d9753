/**
 * `POST /v1/images/generations` ↔ go-livepeer's `text-to-image`. OpenAI's
 * `n` is `num_images_per_prompt`, `size` "WxH" is width/height; Livepeer's
 * own knobs (seed, negative_prompt, guidance_scale, num_inference_steps,
 * safety_check, loras) pass through as extensions. The answer is
 * `{created, data: [{url} | {b64_json}]}`; `url` is the gateway's own media
 * URL, `b64_json` the bytes the gateway already downloaded.
 */
import type { AIGatewayMedia } from '@lpx/sdk';
import { errors } from '@lpx/sdk';
import type { Body } from './request-fields.js';
import { invalid, onlyDefault, optionalEnum, optionalNumber, optionalString, refuseUnknown, requiredString } from './request-fields.js';

export interface ImageRequest {
  readonly model: string;
  readonly responseFormat: 'url' | 'b64_json';
  /** The go-livepeer body without `model_id`. */
  readonly body: Readonly<Record<string, unknown>>;
}

const EXTENSIONS = ['seed', 'negative_prompt', 'guidance_scale', 'num_inference_steps', 'safety_check', 'loras'] as const;
const KNOWN = new Set(['prompt', 'model', 'n', 'size', 'response_format', 'quality', 'style', 'output_format', 'user', 'moderation', ...EXTENSIONS]);

/** Image sides the runner's diffusion models take: multiples of 8. */
function sizeOf(size: string | undefined): { width: number; height: number } | undefined {
  if (size === undefined || size === 'auto') return undefined;
  const match = /^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$/.exec(size);
  if (match === null) throw invalid('size', `must be "WIDTHxHEIGHT" (e.g. "1024x1024") or "auto", got ${JSON.stringify(size)}`);
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width % 8 !== 0 || height % 8 !== 0) throw invalid('size', `both sides must be multiples of 8, got ${size}`);
  return { width, height };
}

export function parseImageRequest(body: Body): ImageRequest {
  refuseUnknown(body, KNOWN);
  const prompt = requiredString(body, 'prompt');
  const model = requiredString(body, 'model');
  const n = optionalNumber(body, 'n', { min: 1, max: 10, integer: true });
  const size = sizeOf(optionalString(body, 'size'));
  const responseFormat = optionalEnum(body, 'response_format', ['url', 'b64_json'] as const) ?? 'url';
  onlyDefault(body, 'quality', (v) => v === 'auto' || v === 'standard', 'the text-to-image pipeline has one quality; use num_inference_steps');
  onlyDefault(body, 'style', () => false, 'the text-to-image pipeline has no style presets; describe the style in the prompt');
  onlyDefault(body, 'output_format', (v) => v === 'png', 'the text-to-image pipeline produces PNG');
  onlyDefault(body, 'moderation', (v) => v === 'auto', 'use safety_check');
  const extensions = Object.fromEntries(EXTENSIONS.filter((key) => body[key] !== undefined && body[key] !== null).map((key) => [key, body[key]]));
  return {
    model,
    responseFormat,
    body: { prompt, ...(n !== undefined ? { num_images_per_prompt: n } : {}), ...(size ?? {}), ...extensions },
  };
}

interface RunnerImage {
  readonly url?: unknown;
  readonly seed?: unknown;
  readonly nsfw?: unknown;
}

/** A media URL as the app can fetch it: gateway paths become absolute on the host the app called. */
function absolute(url: string, origin: string): string {
  return url.startsWith('/') ? `${origin}${url}` : url;
}

function bytesOf(url: string, media: readonly AIGatewayMedia[]): Buffer {
  const held = media.find((item) => item.url === url);
  if (held !== undefined) return held.data;
  const data = /^data:[^;,]*(;base64)?,(.*)$/s.exec(url);
  if (data !== null) return data[1] !== undefined ? Buffer.from(data[2]!, 'base64') : Buffer.from(decodeURIComponent(data[2]!));
  throw errors.ai.RESULT_INVALID.create(`the text-to-image result names ${url}, which the gateway does not hold`);
}

export function imagesResponse(json: unknown, media: readonly AIGatewayMedia[], format: 'url' | 'b64_json', origin: string) {
  const images = (json as { images?: unknown } | null)?.images;
  if (!Array.isArray(images) || images.length === 0) throw errors.ai.RESULT_INVALID.create('the text-to-image result has no images');
  return {
    created: Math.floor(Date.now() / 1000),
    data: (images as RunnerImage[]).map((image) => {
      if (typeof image?.url !== 'string') throw errors.ai.RESULT_INVALID.create('a text-to-image result image has no url');
      // seed and nsfw are Livepeer extensions; openai clients ignore fields they do not know.
      const extra = { ...(typeof image.seed === 'number' ? { seed: image.seed } : {}), ...(typeof image.nsfw === 'boolean' ? { nsfw: image.nsfw } : {}) };
      return format === 'url' ? { url: absolute(image.url, origin), ...extra } : { b64_json: bytesOf(image.url, media).toString('base64'), ...extra };
    }),
  };
}
