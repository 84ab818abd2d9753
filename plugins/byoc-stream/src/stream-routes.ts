/**
 * go-livepeer's BYOC stream routes on the orchestrator's front door
 * (byoc/stream_orchestrator.go). Start is in start-stream.ts; here:
 *
 * - `POST /ai/stream/stop`: header verified (400), `{"stream_id"}` read (400);
 *   a payment sent along is credited. An unknown or already stopped stream is
 *   200 with an empty body (stop is idempotent); another sender's is 400.
 *   Otherwise `POST {app}/stream/stop` with the client's body, then channels
 *   removed and capacity released; the app's status and body are the answer
 *   (200 and empty when the app cannot be reached, as go-livepeer).
 * - `POST /ai/stream/update`: as go-livepeer, the payment step of a job
 *   (credit, then 400 `Insufficient balance for request` below 60 s × price);
 *   404 for an unknown stream; `POST {app}/stream/params` with the body as
 *   JSON; the app's status and body (500 `Error sending request to worker`
 *   when it cannot be reached).
 * - `POST /ai/stream/payment`: credits `Livepeer-Payment` to (sender,
 *   capability), the same balance the stream is debited from; 200 with
 *   `Livepeer-Balance`, or 400 (after crediting) below 60 s × price, as
 *   go-livepeer. It needs no running stream: BYOC credit is per capability.
 *
 * lpx differs from go-livepeer in one place on purpose: stop takes no
 * minimum balance, so a sender can always stop what it pays for.
 */
import { errors, type FastifyPluginAsync, type FastifyReply, type FastifyRequest, type VerifiedByocJob } from '@lpx/sdk';
import { callApp, type AppAnswer } from './app-calls.js';
import { covers, parseBalance, priced } from './money.js';
import { BALANCE_HEADER, headerValue, refuse, refuseError } from './replies.js';
import { balanceHeader, type StreamRouteDeps } from './route-deps.js';
import { MIN_BALANCE_SECONDS, startStreamHandler } from './start-stream.js';
import type { StreamRecord } from './stream-table.js';
import { parseStreamId } from './stream-request.js';
import { startStreamSchema, stopStreamSchema, streamPaymentSchema, updateStreamSchema } from './route-schemas.js';

export const STREAM_ROUTES = ['/ai/stream/start', '/ai/stream/stop', '/ai/stream/update', '/ai/stream/payment'] as const;

type Checked = { readonly job: VerifiedByocJob; readonly streamId: string } | { readonly refused: FastifyReply };

function body(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** Verify, read the stream id, credit any payment; with `minimum`, the job's 60 s balance check too. */
async function check(deps: StreamRouteDeps, request: FastifyRequest, reply: FastifyReply, prefix: string, minimum: boolean): Promise<Checked> {
  let job: VerifiedByocJob;
  let streamId: string;
  try {
    job = deps.wire.byocJobs.verify(headerValue(request.headers['livepeer']));
    streamId = parseStreamId(job.request);
  } catch (error) {
    return { refused: refuseError(reply, error, { status: 400, prefix }) };
  }
  const price = deps.wire.byocJobs.priceFor(job.capability, job.sender);
  if (!priced(price)) return { job, streamId };
  try {
    await deps.wire.byocJobs.pay({ sender: job.sender, capability: job.capability, payment: headerValue(request.headers['livepeer-payment']) });
  } catch (error) {
    return { refused: refuseError(reply, error, { status: 400, prefix }) };
  }
  if (minimum && !covers(parseBalance(await deps.wire.payments.balance({ sender: job.sender, manifestId: job.capability })), price, MIN_BALANCE_SECONDS)) {
    return { refused: refuse(reply, 400, `${prefix}Insufficient balance for request`, errors.payments.INSUFFICIENT_BALANCE.code) };
  }
  return { job, streamId };
}

function owner(record: StreamRecord, job: VerifiedByocJob): boolean {
  return record.sender.toLowerCase() === job.sender.toLowerCase() && record.capability === job.capability;
}

function notOwner(reply: FastifyReply, streamId: string): FastifyReply {
  return refuse(reply, 400, `stream ${streamId} was started by another sender or for another capability`, errors.byoc.STREAM_SENDER_MISMATCH.code);
}

function relay(reply: FastifyReply, answer: AppAnswer): FastifyReply {
  if (answer.status === 401) return refuse(reply, 500, 'Orchestrator worker failure', errors.byoc.STREAM_WORKER_FAILED.code);
  if (answer.contentType !== undefined) reply.header('content-type', answer.contentType);
  return reply.code(answer.status).send(answer.body);
}

function stopHandler(deps: StreamRouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const checked = await check(deps, request, reply, 'Failed to stop stream, request not valid err=', false);
    if ('refused' in checked) return checked.refused;
    const { job, streamId } = checked;
    const record = deps.table.get(streamId);
    if (record === undefined) return reply.code(200).send();
    if (!owner(record, job)) return notOwner(reply, streamId);
    if (deps.table.take(streamId) === undefined) return reply.code(200).send();
    let answer: AppAnswer | undefined;
    try {
      answer = await callApp(record.target, '/stream/stop', { streamId, body: body(request), contentType: headerValue(request.headers['content-type']) ?? '', timeoutMs: job.timeoutSeconds * 1000 });
    } catch (error) {
      deps.logger.warn({ err: error, stream: streamId }, 'the app could not be reached for /stream/stop');
    }
    await deps.table.release(record);
    deps.logger.info({ stream: streamId, sender: job.sender }, 'BYOC stream stopped by its gateway');
    return answer === undefined ? reply.code(200).send() : relay(reply, answer);
  };
}

function updateHandler(deps: StreamRouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const checked = await check(deps, request, reply, 'Failed to update stream, request not valid err=', true);
    if ('refused' in checked) return checked.refused;
    const { job, streamId } = checked;
    const record = deps.table.get(streamId);
    if (record === undefined) return refuse(reply, 404, `stream not found: ${streamId}`, errors.byoc.STREAM_NOT_FOUND.code);
    if (!owner(record, job)) return notOwner(reply, streamId);
    let answer: AppAnswer;
    try {
      answer = await callApp(record.target, '/stream/params', { streamId, body: body(request), contentType: 'application/json', timeoutMs: job.timeoutSeconds * 1000 });
    } catch (error) {
      deps.logger.warn({ err: error, stream: streamId }, 'the app could not be reached for /stream/params');
      return refuse(reply, 500, 'Error sending request to worker', errors.byoc.STREAM_WORKER_FAILED.code);
    }
    return relay(reply, answer);
  };
}

function paymentHandler(deps: StreamRouteDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const checked = await check(deps, request, reply, 'Failed to process payment, request not valid err=', true);
    if ('refused' in checked) return checked.refused;
    const { job } = checked;
    return reply.code(200).header(BALANCE_HEADER, await balanceHeader(deps, job.sender, job.capability)).send();
  };
}

/** The routes in their own scope: bodies arrive raw (the app gets them as sent), whatever their type. */
export function streamRoutes(deps: StreamRouteDeps): FastifyPluginAsync {
  return async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, payload, done) => done(null, payload));
    scope.post('/ai/stream/start', { schema: startStreamSchema }, startStreamHandler(deps));
    scope.post('/ai/stream/stop', { schema: stopStreamSchema }, stopHandler(deps));
    scope.post('/ai/stream/update', { schema: updateStreamSchema }, updateHandler(deps));
    scope.post('/ai/stream/payment', { schema: streamPaymentSchema }, paymentHandler(deps));
  };
}
