/**
 * How an AI result leaves the orchestrator, as go-livepeer's O writes it:
 * JSON whose media are URLs on this front door (`/v1/blobs/<id>?token=`,
 * like transcode renditions) for gateways that send
 * `Authorization: Livepeer-AI-Worker-1.0`, base64 data URLs for older
 * gateways on text-to-image, image-to-image and upscale; an LLM stream as
 * server-sent `data: <json>` events; refusals as Go's http.Error text with
 * our error code in a header for lpx gateways.
 */
import type { FastifyReply } from 'fastify';
import type { AIPipelineName } from '@lpx/sdk';
import type { BlobStore } from '../../blobs/index.js';
import type { AIJobFile } from '../../ai/ai-job.js';
import { sendPlainError } from '../../network/segment/plain-reply.js';
import type { RenditionLinks } from '../../transcode/rendition-links.js';

/** go-livepeer's protoVerAIWorker: the gateway reads media by URL. */
export const AI_WORKER_PROTOCOL = 'Livepeer-AI-Worker-1.0';
/** go-livepeer's answer when a (pipeline, model) has no room, matched by gateways to try another O. */
export const INSUFFICIENT_CAPACITY_TEXT = 'insufficient capacity';
export const ERROR_CODE_HEADER = 'x-lpx-error-code';
/** Pipelines whose old gateways expect inline images. */
const INLINE_PIPELINES: ReadonlySet<AIPipelineName> = new Set(['text-to-image', 'image-to-image', 'upscale']);

export function sendAIError(reply: FastifyReply, status: number, text: string, code?: string): FastifyReply {
  if (code !== undefined) reply.header(ERROR_CODE_HEADER, code);
  return sendPlainError(reply, status, text);
}

/** Replaces every string equal to a file's name with what `urlOf` gives for it. */
function rewrite(value: unknown, urls: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return urls.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => rewrite(v, urls));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, urls)]));
  return value;
}

async function dataUrl(store: BlobStore, file: AIJobFile): Promise<string> {
  const opened = await store.open(file.blob);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return `data:${file.blob.contentType};base64,${Buffer.concat(chunks).toString('base64')}`;
}

export interface ResultLinks {
  readonly store: BlobStore;
  readonly links: RenditionLinks;
  readonly serviceUri: () => string;
}

/** The JSON body with file names replaced by links (or data URLs). */
export async function resultJson(pipeline: AIPipelineName, json: unknown, files: readonly AIJobFile[], authorization: string | undefined, deps: ResultLinks): Promise<unknown> {
  if (files.length === 0) return json;
  const inline = authorization !== AI_WORKER_PROTOCOL && INLINE_PIPELINES.has(pipeline);
  const urls = new Map<string, string>();
  for (const file of files) urls.set(file.name, inline ? await dataUrl(deps.store, file) : deps.links.link(deps.serviceUri(), file.blob));
  return rewrite(json, urls);
}

/** The JSON body with every file inline as a data URL, as an ai-runner answers itself (the Live Runner bridge, ADR 0050). */
export async function inlineResultJson(json: unknown, files: readonly AIJobFile[], store: BlobStore): Promise<unknown> {
  if (files.length === 0) return json;
  const urls = new Map<string, string>();
  for (const file of files) urls.set(file.name, await dataUrl(store, file));
  return rewrite(json, urls);
}

/** Writes an SSE stream; resolves true when every event went out, false when the stream broke or the caller left. */
export async function writeEventStream(reply: FastifyReply, events: AsyncIterable<Readonly<Record<string, unknown>>>, onError: (error: unknown) => void): Promise<boolean> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  try {
    for await (const event of events) {
      if (res.destroyed) return false;
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    }
    res.end();
    return true;
  } catch (error) {
    onError(error);
    // The 200 is out already; cutting the connection is the only signal left (the gateway sees no end of stream).
    res.destroy();
    return false;
  }
}
