/**
 * The gateway's calls on go-livepeer's Live Runner client endpoints
 * (doc/live-runner.md, server/ai_http.go):
 *   POST {runner url}                      reserve: 402 challenge without payment,
 *                                          200 {session_id, app_url, control_url}
 *   POST {payment_url}                     Livepeer-Payment + Livepeer-Segment →
 *                                          protobuf PaymentResult{info}
 *   POST {control_url}/stop                204 (404: already released)
 *   ANY  {app url}/{path}                  the app, proxied by the orchestrator
 * Every failure is LIVE_RUNNER_CLIENT_FAILED with the orchestrator's status
 * and text in details (status 0: it was never reached), which the gateway's
 * failover reads.
 */
import { errors } from '@lpx/sdk';
import { request, type Dispatcher } from 'undici';
import type { Readable } from 'node:stream';
import { remoteText } from '../ai/ai-client.js';
import { segmentAgent } from '../segment/segment-client.js';
import { decodePaymentResult } from '../segment/transcode-result-codec.js';
import type { OrchestratorInfo } from '../wire/types.js';
import { MAX_CHALLENGE_BYTES, parseChallenge, type LiveRunnerChallenge } from './live-runner-challenge.js';

/** go-livepeer's header naming who will pay, so the challenge's ticket params are issued for it. */
export const PAYER_ADDRESS_HEADER = 'livepeer-payer-address';
export const PAYMENT_HEADER = 'livepeer-payment';
export const SEGMENT_HEADER = 'livepeer-segment';

const MAX_ERROR_BYTES = 64 * 1024;
const MAX_PAYMENT_RESULT_BYTES = 1024 * 1024;

export interface LiveRunnerSessionReply {
  readonly sessionId: string;
  readonly appUrl: string;
  readonly controlUrl: string;
}

export interface WireCallOptions {
  /** Until the answer's headers, and (unless bodyTimeoutMs) the longest pause in its body. */
  readonly timeoutMs: number;
  /** 0: a body may pause for ever (a session's SSE or long poll). */
  readonly bodyTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
}

export interface PaymentHeaders {
  readonly payment: string;
  readonly segment: string;
}

function failed(url: string, status: number, remoteMessage: string, cause?: unknown): Error {
  const what = status === 0 ? `${url}: ${remoteMessage}` : `${url} answered ${status}: ${remoteMessage.slice(0, 500)}`;
  return errors.liveRunner.CLIENT_FAILED.create(what, { ...(cause !== undefined ? { cause: cause as Error } : {}), details: { url, status, remoteMessage } });
}

/** One request to an orchestrator; a transport failure is CLIENT_FAILED with status 0. */
export async function liveRunnerCall(url: string, init: { method: string; headers: Record<string, string>; body?: Buffer | Readable | null }, options: WireCallOptions): Promise<Dispatcher.ResponseData> {
  try {
    return await request(url, {
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body ?? null,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.bodyTimeoutMs ?? options.timeoutMs,
      dispatcher: options.dispatcher ?? segmentAgent(),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    throw failed(url, 0, (cause as Error).message, cause);
  }
}

/** The orchestrator's text of a refusal, read at most 64 KiB. */
export async function refusalOf(url: string, response: Dispatcher.ResponseData): Promise<Error> {
  const raw = await readText(response.body, MAX_ERROR_BYTES, url).catch(() => '');
  return failed(url, response.statusCode, remoteText(raw));
}

function sessionReply(url: string, text: string): LiveRunnerSessionReply {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw failed(url, 200, 'the session reply is not JSON');
  }
  const { session_id: sessionId, app_url: appUrl, control_url: controlUrl } = doc ?? {};
  if (typeof sessionId !== 'string' || sessionId === '' || typeof appUrl !== 'string' || typeof controlUrl !== 'string') {
    throw failed(url, 200, 'the session reply lacks session_id, app_url or control_url');
  }
  for (const u of [appUrl, controlUrl]) {
    if (!/^https?:\/\//i.test(u)) throw failed(url, 200, `the session reply names ${JSON.stringify(u)}, not an absolute http(s) URL`);
  }
  return { sessionId, appUrl: appUrl.replace(/\/+$/, ''), controlUrl: controlUrl.replace(/\/+$/, '') };
}

export type ReserveAnswer = { readonly kind: 'challenge'; readonly challenge: LiveRunnerChallenge } | { readonly kind: 'session'; readonly session: LiveRunnerSessionReply };

/**
 * POST {url}: with payment headers, the paid reservation; without, the
 * challenge (or, on a free runner, the session at once).
 */
export async function reserveLiveSession(url: string, options: WireCallOptions & { readonly payer?: string; readonly paid?: PaymentHeaders }): Promise<ReserveAnswer> {
  const headers: Record<string, string> = {};
  if (options.payer !== undefined) headers[PAYER_ADDRESS_HEADER] = options.payer;
  if (options.paid !== undefined) {
    headers[PAYMENT_HEADER] = options.paid.payment;
    headers[SEGMENT_HEADER] = options.paid.segment;
  }
  const response = await liveRunnerCall(url, { method: 'POST', headers }, options);
  if (response.statusCode === 402 && options.paid === undefined) {
    return { kind: 'challenge', challenge: parseChallenge(await readText(response.body, MAX_CHALLENGE_BYTES, url), url) };
  }
  if (response.statusCode !== 200) throw await refusalOf(url, response);
  return { kind: 'session', session: sessionReply(url, await readText(response.body, MAX_CHALLENGE_BYTES, url)) };
}

/** POST {payment_url}: the fresh OrchestratorInfo of the PaymentResult (undefined when it carries none). */
export async function payLiveSession(paymentUrl: string, paid: PaymentHeaders, options: WireCallOptions): Promise<OrchestratorInfo | undefined> {
  const response = await liveRunnerCall(paymentUrl, { method: 'POST', headers: { [PAYMENT_HEADER]: paid.payment, [SEGMENT_HEADER]: paid.segment } }, options);
  if (response.statusCode !== 200) throw await refusalOf(paymentUrl, response);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_PAYMENT_RESULT_BYTES) {
      await response.body.dump().catch(() => undefined);
      throw failed(paymentUrl, 200, `the PaymentResult is larger than ${MAX_PAYMENT_RESULT_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return decodePaymentResult(Buffer.concat(chunks));
  } catch (cause) {
    throw failed(paymentUrl, 200, `the answer is not a PaymentResult: ${(cause as Error).message}`, cause);
  }
}

/** POST {control_url}/stop; true when released now, false when the orchestrator had already let it go (404). */
export async function stopLiveSession(controlUrl: string, options: WireCallOptions): Promise<boolean> {
  const url = `${controlUrl}/stop`;
  const response = await liveRunnerCall(url, { method: 'POST', headers: {} }, options);
  if (response.statusCode === 404) {
    await response.body.dump().catch(() => undefined);
    return false;
  }
  if (response.statusCode !== 204 && response.statusCode !== 200) throw await refusalOf(url, response);
  await response.body.dump().catch(() => undefined);
  return true;
}

export interface AppRequest {
  readonly method: string;
  /** Path and query after the app base, starting with `/` (or empty). */
  readonly path: string;
  readonly headers: Record<string, string>;
  /** A Buffer can be sent again (single-shot failover); a stream only once. */
  readonly body?: Buffer | Readable | null;
}

/** ANY {base}{path}: the app's answer, unread (status, headers and a streaming body) — any status, the caller decides. */
export async function callLiveApp(base: string, app: AppRequest, options: WireCallOptions & { readonly payer?: string; readonly paid?: PaymentHeaders }): Promise<Dispatcher.ResponseData> {
  const headers = { ...app.headers };
  if (options.payer !== undefined) headers[PAYER_ADDRESS_HEADER] = options.payer;
  if (options.paid !== undefined) {
    headers[PAYMENT_HEADER] = options.paid.payment;
    headers[SEGMENT_HEADER] = options.paid.segment;
  }
  return liveRunnerCall(`${base.replace(/\/+$/, '')}${app.path}`, { method: app.method, headers, body: app.body ?? null }, options);
}

/** A 402 answer of a single-shot call read as its challenge. */
export async function challengeOf(url: string, response: Dispatcher.ResponseData): Promise<LiveRunnerChallenge> {
  return parseChallenge(await readText(response.body, MAX_CHALLENGE_BYTES, url), url);
}

/** Reads a body as UTF-8, at most `limit` bytes. */
export async function readText(body: AsyncIterable<Uint8Array> & { destroy(): unknown }, limit: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      body.destroy();
      throw errors.liveRunner.CLIENT_FAILED.create(`${what}: the answer is larger than ${limit} bytes`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}
