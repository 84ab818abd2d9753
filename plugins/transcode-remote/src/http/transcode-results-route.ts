/**
 * `POST /transcodeResults`: where remote transcoders deliver renditions (or a
 * transcoding error) for a task, checked in go-livepeer's order with its
 * statuses and texts: 401 `Unauthorized` (protocol or secret), 415 (no media
 * type), 400 `Invalid Task ID`, 400 `Invalid Pixels`, 400 with the reason
 * when the multipart body is malformed (go-livepeer says 500; the fault is the
 * sender's), 413 when it is too big, else 200 `OK`. A result for a task
 * that is not waiting (timed out, unknown) is accepted and dropped, as in
 * go-livepeer. We also refuse (415) a media type that is neither of the two a
 * transcoder sends, where go-livepeer would answer OK and let the task time out.
 */
import { errors, type FastifyReply, type FastifyRequest } from '@lpx/sdk';
import { transcodeResultsSchema } from './route-schemas.js';
import { BodyTooLargeError, INTERNAL_ERROR_TEXT, MAX_RESULT_BODY_BYTES, passBodyThrough, readRequestBody, sendPlainError, type FastifyScope } from '@lpx/sdk/wire-kit';
import type { RemoteTranscoderPool } from '../pool/remote-transcoder-pool.js';
import { parseInt64, resultFromMultipart } from './result-parts.js';
import { TRANSCODER_PROTOCOL, TRANSCODER_TEXT, TRANSCODING_ERROR_MIME } from '../wire/wire-texts.js';

export const TRANSCODE_RESULTS_PATH = '/transcodeResults';

export interface TranscodeResultsRouteDeps {
  readonly pool: RemoteTranscoderPool;
  /** Whole-body limit; default 300,000,000 bytes (go-livepeer's per-part MaxSegSize). */
  readonly maxBodyBytes?: number;
}

function header(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** The media type as Go's mime.ParseMediaType sees it, or its error text. */
function mediaTypeOf(contentType: string): { type: string } | { error: string } {
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (type === '') return { error: 'mime: no media type' };
  if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+\/[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(type)) return { error: 'mime: expected slash after first token' };
  return { type };
}

interface ResultHeaders {
  readonly mediaType: string;
  readonly contentType: string;
  readonly taskId: bigint;
  /** Absent on a transcoding error, which go-livepeer does not read it for. */
  readonly decodedPixels?: bigint;
}

/** The header checks, in go-livepeer's order: a refusal to send, or the parsed headers. */
function checkHeaders(request: FastifyRequest, pool: RemoteTranscoderPool): { refusal: [number, string] } | ResultHeaders {
  if (header(request, 'authorization') !== TRANSCODER_PROTOCOL || !pool.checkSecret(header(request, 'credentials'))) {
    return { refusal: [401, TRANSCODER_TEXT.unauthorized] };
  }
  const contentType = header(request, 'content-type');
  const media = mediaTypeOf(contentType);
  if ('error' in media) return { refusal: [415, media.error] };
  const taskId = parseInt64(header(request, 'taskid'));
  if (taskId === undefined) return { refusal: [400, TRANSCODER_TEXT.invalidTaskId] };
  if (media.type === TRANSCODING_ERROR_MIME) return { mediaType: media.type, contentType, taskId };
  const decodedPixels = parseInt64(header(request, 'pixels'));
  if (decodedPixels === undefined) return { refusal: [400, TRANSCODER_TEXT.invalidPixels] };
  if (media.type !== 'multipart/mixed') return { refusal: [415, `unsupported media type ${media.type}`] };
  return { mediaType: media.type, contentType, taskId, decodedPixels };
}

async function serveResults(request: FastifyRequest, reply: FastifyReply, deps: TranscodeResultsRouteDeps): Promise<FastifyReply> {
  const { pool } = deps;
  const checked = checkHeaders(request, pool);
  if ('refusal' in checked) return sendPlainError(reply, ...checked.refusal);
  const { taskId, contentType } = checked;

  const limit = deps.maxBodyBytes ?? MAX_RESULT_BODY_BYTES;
  if (checked.decodedPixels === undefined) {
    let text: string;
    try {
      text = (await readRequestBody(request, limit)).toString('utf8');
    } catch (error) {
      text = (error as Error).message;
    }
    pool.deliver(taskId, { error: errors.transcoder.TASK_FAILED.create(text, { details: { taskId: taskId.toString() } }) });
    return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send(TRANSCODER_TEXT.ok);
  }

  const { decodedPixels } = checked;
  let body: Uint8Array;
  try {
    body = await readRequestBody(request, limit);
  } catch (error) {
    request.log.warn({ err: error, taskId: taskId.toString() }, 'could not read a transcode result');
    pool.deliver(taskId, { error: errors.transcoder.RESULT_INVALID.create((error as Error).message) });
    // The sender's fault either way: too big, or a body that ended early.
    return sendPlainError(reply, error instanceof BodyTooLargeError ? 413 : 400, (error as Error).message);
  }
  try {
    pool.deliver(taskId, { result: resultFromMultipart(body, contentType, decodedPixels) });
  } catch (error) {
    pool.deliver(taskId, { error: error as Error });
    // go-livepeer answers 500 here; a body the sender got wrong is a 400 (same text), only our own faults stay 500.
    const status = errors.transcoder.RESULT_INVALID.is(error) ? 400 : 500;
    return sendPlainError(reply, status, status === 400 ? (error as Error).message : INTERNAL_ERROR_TEXT);
  }
  return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send(TRANSCODER_TEXT.ok);
}

/** Mounts the route in its own scope (it replaces that scope's body parsers). */
export function registerTranscodeResultsRoute(app: FastifyScope, deps: TranscodeResultsRouteDeps): void {
  const bodyLimit = deps.maxBodyBytes ?? MAX_RESULT_BODY_BYTES;
  app.register(async (scope) => {
    passBodyThrough(scope);
    // Fastify would refuse a missing or empty Content-Type before any parser runs, with its own
    // JSON body; the header checks run first so such requests get go-livepeer's answers instead.
    scope.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.url !== TRANSCODE_RESULTS_PATH) return;
      const checked = checkHeaders(request, deps.pool);
      if ('refusal' in checked) return sendPlainError(reply, ...checked.refusal);
      return undefined;
    });
    scope.post(TRANSCODE_RESULTS_PATH, { bodyLimit, schema: transcodeResultsSchema }, (request, reply) => serveResults(request, reply, deps));
  });
}
