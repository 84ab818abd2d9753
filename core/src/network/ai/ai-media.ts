/**
 * The media an AI result names (images, videos, audio) and how the gateway
 * gets the bytes: go-livepeer's gateway reads a base64 data URL in place or
 * downloads the orchestrator's URL, then stores the file in its own object
 * store and answers with its own URL (server/ai_process.go). Only data:,
 * http: and https: URLs are followed; relative ones resolve against the
 * orchestrator's service URI; orchestrator certificates are self-signed, so
 * TLS is not verified (as go-livepeer's download client).
 */
import type { AIPipelineName } from '@lpx/sdk';
import { errors } from '@lpx/sdk';
import { request, type Dispatcher } from 'undici';
import { segmentAgent } from '../segment/segment-client.js';

/** Largest single media file the gateway takes over. */
export const MAX_AI_MEDIA_BYTES = 512 * 1024 * 1024;

/** Where a pipeline's result JSON names media: `images[].url` or `audio.url`. */
export interface MediaSlot {
  readonly url: string;
  /** Writes the new URL into the JSON (which is a copy the caller owns). */
  set(url: string): void;
}

const IMAGE_PIPELINES: ReadonlySet<AIPipelineName> = new Set(['text-to-image', 'image-to-image', 'image-to-video', 'upscale']);

export function mediaSlots(pipeline: AIPipelineName, json: unknown): MediaSlot[] {
  const slots: MediaSlot[] = [];
  if (json === null || typeof json !== 'object') return slots;
  const object = json as Record<string, unknown>;
  if (IMAGE_PIPELINES.has(pipeline) && Array.isArray(object.images)) {
    for (const image of object.images) {
      if (image !== null && typeof image === 'object' && typeof (image as { url?: unknown }).url === 'string') {
        const target = image as { url: string };
        slots.push({ url: target.url, set: (url) => (target.url = url) });
      }
    }
  }
  if (pipeline === 'text-to-speech' && object.audio !== null && typeof object.audio === 'object' && typeof (object.audio as { url?: unknown }).url === 'string') {
    const target = object.audio as { url: string };
    slots.push({ url: target.url, set: (url) => (target.url = url) });
  }
  return slots;
}

export interface FetchedMedia {
  readonly data: Buffer;
  readonly contentType: string;
  /** A file name for the store: the URL's last path segment, or one made up for data URLs. */
  readonly name: string;
}

const DATA_URL = /^data:([^;,]*)(;[^,]*)?,(.*)$/s;

function unavailable(url: string, why: string, cause?: unknown): Error {
  return errors.ai.MEDIA_UNAVAILABLE.create(`media ${url.startsWith('data:') ? '(data URL)' : url}: ${why}`, cause !== undefined ? { cause } : {});
}

function fromDataUrl(url: string, maxBytes: number): FetchedMedia {
  const match = DATA_URL.exec(url);
  if (match === null) throw unavailable(url, 'not a valid data URL');
  const contentType = match[1] || 'application/octet-stream';
  const base64 = (match[2] ?? '').includes(';base64');
  const payload = match[3] ?? '';
  if ((base64 ? (payload.length * 3) / 4 : payload.length) > maxBytes) throw unavailable(url, `larger than ${maxBytes} bytes`);
  const data = base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'utf8');
  const extension = contentType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
  return { data, contentType, name: `media.${extension}` };
}

export async function fetchMedia(url: string, options: { baseUri: string; timeoutMs: number; signal?: AbortSignal; maxBytes?: number; dispatcher?: Dispatcher }): Promise<FetchedMedia> {
  const maxBytes = options.maxBytes ?? MAX_AI_MEDIA_BYTES;
  if (url.startsWith('data:')) return fromDataUrl(url, maxBytes);
  let target: URL;
  try {
    target = new URL(url, `${options.baseUri.replace(/\/+$/, '')}/`);
  } catch (cause) {
    throw unavailable(url, 'not a URL', cause);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw unavailable(url, `the ${target.protocol} scheme is not fetched`);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(target, {
      method: 'GET',
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      dispatcher: options.dispatcher ?? segmentAgent(),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    throw unavailable(url, (cause as Error).message, cause);
  }
  if (response.statusCode !== 200) {
    response.body.destroy();
    throw unavailable(url, `answered ${response.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).byteLength;
      if (size > maxBytes) throw unavailable(url, `larger than ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (cause) {
    response.body.destroy();
    throw errors.ai.MEDIA_UNAVAILABLE.is(cause) ? cause : unavailable(url, (cause as Error).message, cause);
  }
  const name = decodeURIComponent(target.pathname.split('/').pop() ?? '') || 'media.bin';
  return { data: Buffer.concat(chunks), contentType: String(response.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim(), name };
}
