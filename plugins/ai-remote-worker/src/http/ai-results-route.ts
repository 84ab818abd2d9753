/**
 * `POST /aiResults` (remote AI workers hand back job results) and
 * `GET /ai-worker/files/<token>/<name>` (workers fetch job inputs). The POST
 * checks run in go-livepeer's order with its texts and codes: Authorization
 * (401 `Unauthorized`), Credentials (401 `invalid secret`), Content-Type
 * (415 with Go's mime error), TaskId (400 `Invalid Task ID`). A result for a
 * task that is not pending is answered `OK` and dropped, as go-livepeer
 * does. Bodies are read only after those checks, so the scope hands them
 * through unparsed.
 */
import type { Readable } from 'node:stream';
import { errors, isLpxError, type FastifyReply, type FastifyRequest } from '@lpx/sdk';
import { BodyTooLargeError, passBodyThrough, readRequestBody, sendPlainError, type FastifyScope } from '@lpx/sdk/wire-kit';
import type { RemoteAIWorkerPool } from '../pool/remote-ai-pool.js';
import type { WorkerOutcome } from '../pool/worker-outcome.js';
import { AI_RESULTS_PATH, AI_WORKER_AUTH, AI_WORKER_ERROR_CONTENT_TYPE, INPUT_ROUTE_PREFIX, WIRE_TEXT } from '../wire/wire-texts.js';
import { ChunkChannel } from './chunk-channel.js';
import { relayEventStream } from './event-stream-relay.js';
import type { InputStore } from './input-store.js';
import { parseMultipartResult } from './multipart-result.js';
import { parseTaskId, parseWorkerMediaType } from './result-headers.js';
import { aiResultsSchema, inputFileSchema } from './route-schemas.js';

/** Largest non-streaming result body (images, a video, audio). */
export const DEFAULT_MAX_RESULT_BYTES = 512 * 1024 * 1024;

export interface AIResultsRouteDeps {
  readonly pool: RemoteAIWorkerPool;
  readonly inputs: InputStore;
  readonly checkSecret: (given: string) => boolean;
  readonly maxResultBytes?: number;
  /** Every refusal and failed result, for logs. */
  readonly onError?: (error: unknown) => void;
}

/** The worker's Content-Type, taken aside before fastify's parser sees the request. */
const workerContentType = new WeakMap<FastifyRequest, string>();

function header(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function bodyStream(request: FastifyRequest): Readable {
  const body = request.body;
  return body !== null && typeof body === 'object' && typeof (body as Readable).pipe === 'function' ? (body as Readable) : (request.raw as unknown as Readable);
}

/** Lets an unread body flow away so the connection stays usable. */
function discardBody(request: FastifyRequest): void {
  bodyStream(request).resume();
}

function ok(reply: FastifyReply): FastifyReply {
  return reply.code(200).header('content-type', 'text/plain; charset=utf-8').send('OK');
}

async function readBody(request: FastifyRequest, limit: number): Promise<Buffer> {
  try {
    return await readRequestBody(request, limit);
  } catch (cause) {
    if (cause instanceof BodyTooLargeError) throw errors.aiWorker.RESULT_TOO_LARGE.create(`AI result body exceeds ${limit} bytes`, { cause });
    throw errors.aiWorker.RESULT_INVALID.create(`cannot read AI result body: ${(cause as Error).message}`, { cause });
  }
}

/**
 * The status the worker gets for a result we could not use: go-livepeer says
 * 500 for all of them, but a body the worker got wrong is its fault (400),
 * one over the limit is 413; only our own faults stay 500.
 */
function refusalStatus(error: unknown): number {
  if (errors.aiWorker.RESULT_TOO_LARGE.is(error)) return 413;
  if (errors.aiWorker.RESULT_INVALID.is(error)) return 400;
  return isLpxError(error) && error.status >= 400 && error.status < 500 ? 400 : 500;
}

function asResultError(error: unknown): Error {
  if (errors.aiWorker.RESULT_TOO_LARGE.is(error) || errors.aiWorker.RESULT_INVALID.is(error)) return error as Error;
  return errors.aiWorker.RESULT_INVALID.create((error as Error).message, { cause: error });
}

export function registerAIResultsRoutes(scope: FastifyScope, deps: AIResultsRouteDeps): void {
  const { pool } = deps;
  const limit = deps.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;

  const refuse = (request: FastifyRequest, reply: FastifyReply, error: Error, status: number, text: string): FastifyReply => {
    deps.onError?.(error);
    discardBody(request);
    return sendPlainError(reply, status, text);
  };

  /** Hands a failure to the waiting job and answers the worker with it, as go-livepeer's 500 does. */
  const failTask = (reply: FastifyReply, taskId: bigint, error: Error, status: number): FastifyReply => {
    deps.onError?.(error);
    pool.deliver(taskId, { kind: 'error', error });
    return sendPlainError(reply, status, error.message);
  };

  const postResults = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    if (header(request, 'authorization') !== AI_WORKER_AUTH) {
      return refuse(request, reply, errors.aiWorker.AUTH_TYPE_INVALID.create(`AI result without the ${AI_WORKER_AUTH} authorization`), 401, WIRE_TEXT.unauthorized);
    }
    if (!deps.checkSecret(header(request, 'credentials'))) {
      return refuse(request, reply, errors.aiWorker.SECRET_INVALID.create(WIRE_TEXT.secretInvalid), 401, WIRE_TEXT.secretInvalid);
    }
    const contentType = workerContentType.get(request) ?? '';
    const media = parseWorkerMediaType(contentType);
    if ('error' in media) return refuse(request, reply, errors.aiWorker.RESULT_CONTENT_TYPE.create(media.error), 415, media.error);
    const taskId = parseTaskId(header(request, 'taskid'));
    if (taskId === undefined) return refuse(request, reply, errors.aiWorker.TASK_ID_INVALID.create(WIRE_TEXT.taskIdInvalid), 400, WIRE_TEXT.taskIdInvalid);
    if (!pool.isPending(taskId)) {
      deps.onError?.(errors.aiWorker.TASK_UNKNOWN.create(`AI result for task ${taskId}, which is not pending`, { details: { taskId: taskId.toString() } }));
      discardBody(request);
      return ok(reply);
    }

    switch (media.mediaType) {
      case AI_WORKER_ERROR_CONTENT_TYPE: {
        let text: string;
        try {
          text = (await readBody(request, limit)).toString('utf8');
        } catch (error) {
          return failTask(reply, taskId, asResultError(error), refusalStatus(error));
        }
        pool.deliver(taskId, { kind: 'error', error: errors.aiWorker.WORKER_ERROR.create(text, { details: { taskId: taskId.toString() } }) });
        return ok(reply);
      }
      case 'text/event-stream': {
        const channel = new ChunkChannel<unknown>();
        pool.deliver(taskId, { kind: 'stream', chunks: channel });
        try {
          await relayEventStream(bodyStream(request), channel);
        } catch (error) {
          deps.onError?.(error);
          return sendPlainError(reply, refusalStatus(error), (error as Error).message);
        }
        return ok(reply);
      }
      case 'multipart/mixed': {
        let outcome: WorkerOutcome;
        try {
          outcome = parseMultipartResult(await readBody(request, limit), contentType);
        } catch (error) {
          return failTask(reply, taskId, asResultError(error), refusalStatus(error));
        }
        pool.deliver(taskId, outcome);
        return ok(reply);
      }
      default: {
        // go-livepeer silently answers OK here and its job waits out the 15-minute timeout; we fail the job now.
        discardBody(request);
        const error = errors.aiWorker.RESULT_CONTENT_TYPE.create(`unsupported AI result content type ${JSON.stringify(media.mediaType)}`);
        return failTask(reply, taskId, error, 415);
      }
    }
  };

  const getInput = async (request: FastifyRequest<{ Params: { token: string; name: string } }>, reply: FastifyReply): Promise<FastifyReply> => {
    const file = deps.inputs.get(request.params.token);
    if (file === undefined || !file.path.endsWith(`/${request.params.name}`)) {
      deps.onError?.(errors.aiWorker.FILE_NOT_FOUND.create(`no stored AI input ${request.params.token}/${request.params.name}`));
      return sendPlainError(reply, 404, 'Not Found');
    }
    return reply.code(200).header('content-type', file.contentType).send(Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength));
  };

  passBodyThrough(scope);
  // Fastify refuses a malformed Content-Type before any handler runs, which would put 415 ahead of
  // go-livepeer's 401s; the route judges the header itself, so fastify sees a neutral one.
  scope.addHook('onRequest', async (request) => {
    if (request.method !== 'POST') return;
    workerContentType.set(request, header(request, 'content-type'));
    request.headers['content-type'] = 'application/octet-stream';
  });
  scope.post(AI_RESULTS_PATH, { schema: aiResultsSchema }, postResults);
  scope.get(`${INPUT_ROUTE_PREFIX}/:token/:name`, { schema: inputFileSchema }, getInput);
}
