/**
 * The gateway's `/segment` client (go-livepeer's `SubmitSegment`): POST the
 * segment to `{transcoder}/segment` with the Livepeer-Segment and
 * Livepeer-Payment headers, within go-livepeer's two budgets — the upload
 * until the response headers, max(2 s, duration / 2), and the whole call,
 * max(8 s, 4 × duration) — then decode the protobuf TranscodeResult. Works
 * against go-livepeer and lpx orchestrators alike; orchestrators serve
 * self-signed certificates, so TLS is not verified (as every go-livepeer
 * client does). Every failure is a coded error whose `remoteMessage` detail
 * is the orchestrator's own text, which is what routing decisions match on.
 */
import { errors } from '@lpx/sdk';
import { Agent, request, type Dispatcher } from 'undici';
import { DEFAULT_SEGMENT_DURATION_MS } from './segment-credentials.js';
import { PAYMENT_HEADER, SEGMENT_HEADER } from './paid-request.js';
import { decodeTranscodeResult, type TranscodeData } from './transcode-result-codec.js';
import type { OrchestratorInfo } from '../wire/types.js';
import { SEGMENT_ROUTE_PATH } from './segment-route.js';

/** go-livepeer's common.HTTPTimeout, MinSegmentUploadTimeout and their duration multipliers. */
export const SEGMENT_CALL_MIN_MS = 8_000;
export const SEGMENT_UPLOAD_MIN_MS = 2_000;
export const SEGMENT_CALL_DURATION_FACTOR = 4;
export const SEGMENT_UPLOAD_DURATION_FACTOR = 0.5;
/** What go-livepeer's gateway sends raw segments as (also for MP4, as it does). */
export const SEGMENT_CONTENT_TYPE = 'video/MP2T';
/** A TranscodeResult is small; a larger answer is not one. */
const MAX_RESULT_BYTES = 16 * 1024 * 1024;

export interface SegmentTimeouts {
  /** Until the response headers arrive. */
  readonly uploadMs: number;
  /** The whole call, result body included. */
  readonly callMs: number;
}

/** go-livepeer's budgets for a segment of `durationMs` (0 = unknown, counted as 2 s), times `multiplier` when > 1. */
export function segmentTimeouts(durationMs: number, multiplier = 1): SegmentTimeouts {
  const duration = durationMs > 0 ? durationMs : DEFAULT_SEGMENT_DURATION_MS;
  const factor = multiplier > 1 ? multiplier : 1;
  return {
    uploadMs: Math.max(SEGMENT_UPLOAD_MIN_MS, SEGMENT_UPLOAD_DURATION_FACTOR * duration) * factor,
    callMs: Math.max(SEGMENT_CALL_MIN_MS, SEGMENT_CALL_DURATION_FACTOR * duration) * factor,
  };
}

let sharedAgent: Agent | undefined;

/** One pooled agent per process that accepts self-signed orchestrator certificates. */
export function segmentAgent(): Agent {
  sharedAgent ??= new Agent({ connect: { rejectUnauthorized: false } });
  return sharedAgent;
}

export interface SubmitSegmentOptions {
  /** OrchestratorInfo.transcoder (the service URI). */
  readonly transcoder: string;
  readonly segmentHeader: string;
  /** Livepeer-Payment value; '' when the gateway pays nothing (offchain). */
  readonly paymentHeader: string;
  readonly data: Uint8Array;
  readonly timeouts: SegmentTimeouts;
  /** Called once the orchestrator's response headers arrived: from then on the payment counts as spent. */
  readonly onSent?: () => void;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
}

export interface SegmentSubmitted {
  readonly seq: bigint;
  readonly data: TranscodeData;
  /** The orchestrator's fresh info (new ticket params, same auth token). */
  readonly info?: OrchestratorInfo;
}

function endpoint(transcoder: string): string {
  return transcoder.replace(/\/+$/, '') + SEGMENT_ROUTE_PATH;
}

/** Sends one segment; resolves with the transcoded data or throws a coded GATEWAY_SEGMENT_* error. */
export async function submitSegment(options: SubmitSegmentOptions): Promise<SegmentSubmitted> {
  const url = endpoint(options.transcoder);
  const upload = new AbortController();
  const call = new AbortController();
  const uploadTimer = setTimeout(() => upload.abort(), options.timeouts.uploadMs);
  const callTimer = setTimeout(() => call.abort(), options.timeouts.callMs);
  const signals = [upload.signal, call.signal, ...(options.signal !== undefined ? [options.signal] : [])];
  const timedOut = (phase: 'header' | 'body', cause: unknown) => {
    const budget = phase === 'header' ? options.timeouts.uploadMs : options.timeouts.callMs;
    // go-livepeer's gateway wraps these as "header timeout: …" / "body timeout: …".
    return errors.gateway.SEGMENT_TIMEOUT.create(`${phase} timeout: ${url} took longer than ${budget} ms`, { cause, details: { url, phase, budgetMs: budget, remoteMessage: `${phase} timeout` } });
  };
  try {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'POST',
        headers: { [SEGMENT_HEADER]: options.segmentHeader, [PAYMENT_HEADER]: options.paymentHeader, 'content-type': SEGMENT_CONTENT_TYPE },
        body: Buffer.from(options.data.buffer, options.data.byteOffset, options.data.byteLength),
        signal: AbortSignal.any(signals),
        dispatcher: options.dispatcher ?? segmentAgent(),
      });
    } catch (cause) {
      if (options.signal?.aborted === true) throw cause;
      if (upload.signal.aborted || call.signal.aborted) throw timedOut('header', cause);
      throw errors.gateway.SEGMENT_REFUSED.create(`${url}: ${(cause as Error).message}`, { cause, details: { url, status: 0, remoteMessage: (cause as Error).message } });
    }
    clearTimeout(uploadTimer);
    options.onSent?.();
    let body: Buffer;
    try {
      body = await readBody(response.body, MAX_RESULT_BYTES);
    } catch (cause) {
      if (options.signal?.aborted === true) throw cause;
      if (call.signal.aborted) throw timedOut('body', cause);
      throw errors.gateway.SEGMENT_REFUSED.create(`${url}: the answer broke off: ${(cause as Error).message}`, { cause, details: { url, status: response.statusCode, remoteMessage: (cause as Error).message } });
    }
    if (response.statusCode !== 200) {
      const text = body.toString('utf8').trim();
      throw errors.gateway.SEGMENT_REFUSED.create(`${url} answered ${response.statusCode}: ${text.slice(0, 500)}`, { details: { url, status: response.statusCode, remoteMessage: text } });
    }
    let result;
    try {
      result = decodeTranscodeResult(body);
    } catch (cause) {
      throw errors.gateway.SEGMENT_TRANSCODE_FAILED.create(`${url} sent a result that is not a TranscodeResult`, { cause, details: { url, remoteMessage: (cause as Error).message } });
    }
    if ('error' in result) {
      throw errors.gateway.SEGMENT_TRANSCODE_FAILED.create(`${url} could not transcode: ${result.error}`, { details: { url, remoteMessage: result.error } });
    }
    // protobuf cannot tell "no data" from "empty data": go-livepeer calls a result with neither UnknownResponse.
    if (result.data.segments.length === 0 && result.data.sig.length === 0) {
      throw errors.gateway.SEGMENT_TRANSCODE_FAILED.create(`${url} sent neither data nor error`, { details: { url, remoteMessage: 'UnknownResponse' } });
    }
    return { seq: result.seq, data: result.data, ...(result.info !== undefined ? { info: result.info } : {}) };
  } finally {
    clearTimeout(uploadTimer);
    clearTimeout(callTimer);
  }
}

async function readBody(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new Error(`answer larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
