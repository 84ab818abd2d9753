/**
 * `POST /segment`: a gateway's paid transcode request, in go-livepeer's order
 * (ServeSegment). After the shared payment steps: the balance gate (400
 * `Insufficient balance`), the body (raw MPEG-TS, or a URL to fetch within
 * 8 s), its keccak256 against the signed hash (403 `Forbidden`), then 200
 * flushed at once — go-livepeer gateways stop waiting for headers after
 * max(2 s, duration / 2), long before a transcode ends — and the protobuf
 * TranscodeResult when the work is done, debited at expected price × pixels.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { keccak256, priceFromInfo } from '../../payments/index.js';
import { acceptPaidRequest, type PaidRequest, type PaidRouteDeps } from './paid-request.js';
import { INTERNAL_ERROR_TEXT, sendPlainError, TRANSCODER_UNAVAILABLE_TEXT } from './plain-reply.js';
import { MAX_SEGMENT_BODY_BYTES, passBodyThrough, readRequestBody } from './request-body.js';
import type { SegmentCredentials } from './segment-credentials.js';
import type { VideoProfile } from './seg-data-types.js';
import { downloadSource, SOURCE_DOWNLOAD_TIMEOUT_MS, type SourceDownloader } from './source-download.js';
import { encodeTranscodeResult, type TranscodedSegmentData, type TranscodeOutcome } from './transcode-result-codec.js';
import { segmentRouteSchema } from '../wire-route-schemas.js';

export const SEGMENT_ROUTE_PATH = '/segment';
/** A body of this type is a URL to the segment, not the segment. */
export const SEGMENT_URI_CONTENT_TYPE = 'application/vnd+livepeer.uri';
export { TRANSCODER_UNAVAILABLE_TEXT };
/** go-livepeer's body for a source it could not fetch in time. */
export const BAD_REQUEST_TEXT = 'BadRequest';
export const INSUFFICIENT_BALANCE_TEXT = 'Insufficient balance';

export interface TranscodeRequest {
  /** The auth session id: one transcode session per gateway session. */
  readonly sessionId: string;
  readonly seq: bigint;
  /** The source segment (downloaded already when the gateway sent a URL). */
  readonly body: Uint8Array;
  /** Output profiles in job order, names resolved. */
  readonly profiles: readonly VideoProfile[];
  /** Aborted when the gateway disconnects before the result is written. */
  readonly signal: AbortSignal;
  readonly credentials: SegmentCredentials;
}

export type TranscodeResponse =
  | { readonly segments: readonly TranscodedSegmentData[]; readonly sig?: Uint8Array }
  | { readonly error: string };

export type Transcoder = (request: TranscodeRequest) => Promise<TranscodeResponse>;

export interface SegmentRouteDeps extends PaidRouteDeps {
  /** Absent: every segment gets go-livepeer's `ErrTranscoderUnavailable` result. */
  readonly transcode?: Transcoder;
  /** Default 300,000,000 (go-livepeer's MaxSegSize); applies to uploaded and downloaded sources. */
  readonly maxBodyBytes?: number;
  /** Default 8,000 ms. */
  readonly sourceTimeoutMs?: number;
  readonly downloadSource?: SourceDownloader;
  /** Told the output pixels of every segment debited (the orchestrator's /metrics). */
  readonly onPixelsCharged?: (pixels: bigint) => void;
}

function isUriBody(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return type.split(';', 1)[0]!.trim().toLowerCase() === SEGMENT_URI_CONTENT_TYPE;
}

async function runTranscode(deps: SegmentRouteDeps, request: TranscodeRequest): Promise<{ outcome: TranscodeOutcome; pixels: bigint }> {
  if (deps.transcode === undefined) return { outcome: { error: TRANSCODER_UNAVAILABLE_TEXT }, pixels: 0n };
  let response: TranscodeResponse;
  try {
    response = await deps.transcode(request);
  } catch (error) {
    response = { error: error instanceof Error ? error.message : String(error) };
  }
  if ('error' in response) return { outcome: { error: response.error }, pixels: 0n };
  let pixels = 0n;
  for (const segment of response.segments) {
    // A negative count would turn the debit into a credit.
    if (typeof segment.pixels !== 'bigint' || segment.pixels < 0n) return { outcome: { error: 'invalid pixel count from transcoder' }, pixels: 0n };
    pixels += segment.pixels;
  }
  return { outcome: { data: { segments: response.segments, sig: response.sig ?? new Uint8Array(0) } }, pixels };
}

/** Answers with 4xx/5xx itself and returns undefined, or returns the verified source bytes. */
async function readSource(request: FastifyRequest, reply: FastifyReply, deps: SegmentRouteDeps, paid: PaidRequest): Promise<Uint8Array | undefined> {
  const limit = deps.maxBodyBytes ?? MAX_SEGMENT_BODY_BYTES;
  let data: Uint8Array;
  try {
    data = await readRequestBody(request, limit);
  } catch (error) {
    request.log.warn({ err: error }, 'could not read segment body');
    sendPlainError(reply, 500, INTERNAL_ERROR_TEXT);
    return undefined;
  }
  if (isUriBody(request)) {
    const url = Buffer.from(data).toString('utf8');
    try {
      data = await (deps.downloadSource ?? downloadSource)(url, { timeoutMs: deps.sourceTimeoutMs ?? SOURCE_DOWNLOAD_TIMEOUT_MS, maxBytes: limit });
    } catch (error) {
      request.log.warn({ err: error, url }, 'could not download segment source');
      sendPlainError(reply, 400, BAD_REQUEST_TEXT);
      return undefined;
    }
  }
  if (!Buffer.from(keccak256(data)).equals(Buffer.from(paid.credentials.hash))) {
    sendPlainError(reply, 403, 'Forbidden');
    return undefined;
  }
  return data;
}

async function serveSegment(request: FastifyRequest, reply: FastifyReply, deps: SegmentRouteDeps): Promise<FastifyReply> {
  const paid = await acceptPaidRequest(request, reply, deps, (credentials) => credentials.sessionId);
  if (paid === undefined) return reply;
  const { payment, sender, credentials } = paid;
  const payments = deps.payments;

  // go-livepeer's SufficientBalance: only a priced payment needs credit, and it
  // looks at the balance alone — a session whose price was fixed at 0 by an
  // earlier ticketless payment must not get priced work for free.
  if (payments !== undefined && (payment.expectedPrice?.pricePerUnit ?? 0n) > 0n) {
    const balance = await payments.processor.balance(sender, credentials.sessionId);
    if (balance === undefined || balance.lt(payments.recipient.ev)) {
      payments.processor.countRefusal('insufficient_balance');
      sendPlainError(reply, 400, INSUFFICIENT_BALANCE_TEXT);
      return reply;
    }
    try {
      // go-livepeer would panic debiting a zero-denominator price after the work; refuse it before.
      priceFromInfo(payment.expectedPrice);
    } catch (error) {
      sendPlainError(reply, 400, (error as Error).message);
      return reply;
    }
  }

  const body = await readSource(request, reply, deps, paid);
  if (body === undefined) return reply;

  // From here every error travels in the TranscodeResult.
  reply.hijack();
  const res = reply.raw;
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  res.flushHeaders();

  try {
    const { outcome, pixels } = await runTranscode(deps, {
      sessionId: credentials.sessionId,
      seq: credentials.segData.seq,
      body,
      profiles: credentials.profiles,
      signal: controller.signal,
      credentials,
    });
    // Like go-livepeer: charge for what was produced, at the price the gateway's payment named.
    if (payments !== undefined && payment.expectedPrice !== undefined && pixels > 0n) {
      await payments.processor.debit(sender, credentials.sessionId, pixels, payment.expectedPrice);
      deps.onPixelsCharged?.(pixels);
    }
    if (!res.destroyed) res.end(Buffer.from(encodeTranscodeResult({ seq: credentials.segData.seq, ...outcome, info: paid.info })));
  } catch (error) {
    // The 200 is out already; cutting the stream is the only signal left.
    request.log.error({ err: error }, 'could not finish the segment response');
    res.destroy(error as Error);
  }
  return reply;
}

/** Registers the route in its own encapsulated scope (it replaces that scope's body parsers). */
export function registerSegmentRoute(app: FastifyInstance, deps: SegmentRouteDeps): void {
  const bodyLimit = deps.maxBodyBytes ?? MAX_SEGMENT_BODY_BYTES;
  app.register(async (scope) => {
    passBodyThrough(scope);
    scope.post(SEGMENT_ROUTE_PATH, { bodyLimit, schema: segmentRouteSchema }, (request, reply) => serveSegment(request, reply, deps));
  });
}
