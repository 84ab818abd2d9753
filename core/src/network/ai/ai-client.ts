/**
 * The gateway's side of go-livepeer's batch AI wire: `POST {transcoder}/<pipeline>`
 * with Livepeer-Segment, Livepeer-Payment and `Authorization:
 * Livepeer-AI-Worker-1.0`, the body as JSON or multipart/form-data. A 200 is
 * the pipeline's JSON, or for a streaming LLM request `text/event-stream`
 * (relayed event by event). Any other status is a coded refusal carrying the
 * status and the orchestrator's text, which the router's failover reads as
 * go-livepeer's does (`insufficient capacity`, `ticketparams expired`...).
 */
import type { AIPipelineName, AIRequestBody } from '@lpx/sdk';
import { errors } from '@lpx/sdk';
import { request, type Dispatcher } from 'undici';
import { segmentAgent } from '../segment/segment-client.js';
import { AI_WORKER_AUTHORIZATION } from './ai-credentials.js';
import { parseAIEventStream, type AIStreamEvent } from './ai-event-stream.js';
import { encodeAIBody } from './ai-request-body.js';

/** Largest JSON answer read (data URLs of several images fit comfortably). */
export const MAX_AI_RESPONSE_BYTES = 256 * 1024 * 1024;
/** An error body is only read this far: it is text for a log line. */
const MAX_ERROR_BYTES = 64 * 1024;

export interface SubmitAIOptions {
  /** OrchestratorInfo.transcoder (the service URI), no trailing slash needed. */
  readonly serviceUri: string;
  readonly pipeline: AIPipelineName;
  readonly body: AIRequestBody;
  readonly segmentHeader: string;
  /** '' when nothing is paid (offchain), as go-livepeer sends it. */
  readonly paymentHeader: string;
  /** Until the response headers, and the longest pause while reading the body. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
}

export type AIWireResponse =
  | { readonly kind: 'json'; readonly json: unknown }
  | { readonly kind: 'stream'; readonly events: AsyncGenerator<AIStreamEvent, void, undefined>; close(): void };

function routeUrl(serviceUri: string, pipeline: string): string {
  return `${serviceUri.replace(/\/+$/, '')}/${pipeline}`;
}

async function readAtMost(body: AsyncIterable<Uint8Array>, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw errors.ai.RESULT_INVALID.create(`${what} is larger than ${limit} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** The orchestrator's own text: go-livepeer answers plain text or `{"error":{"message"}}`; an lpx one problem+json. */
export function remoteText(raw: string): string {
  const text = raw.trim();
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown }; detail?: unknown; code?: unknown };
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : typeof parsed.detail === 'string' ? parsed.detail : undefined;
    if (message !== undefined) return typeof parsed.code === 'string' ? `${parsed.code}: ${message}` : message;
  } catch {
    // plain text
  }
  return text;
}

export async function submitAIRequest(options: SubmitAIOptions): Promise<AIWireResponse> {
  const url = routeUrl(options.serviceUri, options.pipeline);
  const encoded = encodeAIBody(options.body);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: 'POST',
      headers: {
        'content-type': encoded.contentType,
        'livepeer-segment': options.segmentHeader,
        'livepeer-payment': options.paymentHeader,
        authorization: AI_WORKER_AUTHORIZATION,
      },
      body: encoded.body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      dispatcher: options.dispatcher ?? segmentAgent(),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (options.signal?.aborted === true) throw errors.ai.CANCELLED.create(`the ${options.pipeline} request to ${options.serviceUri} was cancelled`, { cause });
    throw errors.ai.ORCHESTRATOR_REFUSED.create(`${url}: ${(cause as Error).message}`, { cause, details: { status: 0, remoteMessage: (cause as Error).message } });
  }
  if (response.statusCode !== 200) {
    const raw = await readAtMost(response.body, MAX_ERROR_BYTES, 'an error answer').then(
      (b) => b.toString('utf8'),
      () => '',
    );
    response.body.destroy();
    const remoteMessage = remoteText(raw);
    throw errors.ai.ORCHESTRATOR_REFUSED.create(`${url} answered ${response.statusCode}: ${remoteMessage.slice(0, 500)}`, { details: { status: response.statusCode, remoteMessage } });
  }
  const type = String(response.headers['content-type'] ?? '');
  if (/^text\/event-stream/i.test(type)) {
    const body = response.body;
    return { kind: 'stream', events: parseAIEventStream(body), close: () => body.destroy() };
  }
  let text: string;
  try {
    text = (await readAtMost(response.body, MAX_AI_RESPONSE_BYTES, `the ${options.pipeline} answer of ${options.serviceUri}`)).toString('utf8');
  } catch (cause) {
    response.body.destroy();
    if (options.signal?.aborted === true) throw errors.ai.CANCELLED.create(`the ${options.pipeline} request to ${options.serviceUri} was cancelled`, { cause });
    throw errors.ai.RESULT_INVALID.create(`reading the ${options.pipeline} answer of ${options.serviceUri} failed: ${(cause as Error).message}`, { cause });
  }
  try {
    return { kind: 'json', json: JSON.parse(text) as unknown };
  } catch (cause) {
    // go-livepeer's OpenAPI middleware answers an empty 200 to a request it could not validate.
    throw errors.ai.RESULT_INVALID.create(`${url} answered 200 with a body that is not JSON${text === '' ? ' (empty)' : ''}`, { cause });
  }
}
