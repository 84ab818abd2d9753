/**
 * The orchestrator's BYOC routes (go-livepeer byoc/job_orchestrator.go):
 * `POST /process/request/*` runs one paid job, `GET /process/token` quotes.
 *
 * A job goes through, in order:
 * 1. 400: missing/undecodable `Livepeer` header, no timeout, bad signature;
 * 1b. the capability's own input check (run-time BYOC apps): its 4xx, nothing paid;
 * 2. dedupe on (sender, JobRequest.id): a retry joins the run in flight or gets
 *    the kept result, without new admission, payment or debit; 409 if the id
 *    is reused for a different request;
 * 3. 503 `insufficient capacity` before any payment (as AI routes), so refused
 *    work takes no money;
 * 4. payment (see job-payment-gate.ts): 402 undecodable, 400 refused, 400
 *    `Insufficient balance for request` below 60 s × price;
 * 5. dispatch; a rejection (the worker failed, timed out, answered 401) is
 *    500 with `Livepeer-Balance` and debits nothing (docs/adr/0049);
 *    otherwise debit ceil(seconds) × price and answer the worker's status,
 *    type and body with `Livepeer-Balance`.
 * 6. a `text/event-stream` answer is relayed line by line as it comes, with
 *    go-livepeer's periodic debits and balance events (job-stream-relay.ts).
 */
import { randomUUID, createHash } from 'node:crypto';
import { errors } from '@lpx/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addressKey, SignatureVerifier, toChecksumAddress, type Address } from '../../payments/index.js';
import type { JobDispatchResult, JobRoutesDeps } from './byoc-types.js';
import { headerValue, refuse, refuseError } from './http-refusal.js';
import { JobDedupe, jobFingerprint, type JobClaim, type JobOutcome } from './job-dedupe.js';
import { balanceHeader, chargeForWork, takePayment, unitPrice } from './job-payment-gate.js';
import { decodeJobRequestHeader, verifyJobRequest, type VerifiedJobRequest } from './job-request.js';
import { relayStream, STREAM_DEBIT_INTERVAL_MS } from './job-stream-relay.js';
import { jobTokenHandler } from './job-token-route.js';
import { jobRequestRouteSchema, jobTokenRouteSchema } from '../wire-route-schemas.js';

export const BALANCE_HEADER = 'Livepeer-Balance';

/** Stable, BullMQ-safe id for (sender, JobRequest.id): custom BullMQ ids may not contain ':'. */
export function dispatchRequestId(sender: Address, jobRequestId: string): string {
  const idHash = createHash('sha256').update(jobRequestId, 'utf8').digest('hex').slice(0, 32);
  return `byoc-${addressKey(sender).slice(2)}-${idHash}`;
}

/**
 * Adds the routes in their own encapsulated scope (every content type arrives
 * as a raw Buffer there, without touching the app's parsers). Call before the
 * app is ready. A node must also raise Node's 16 KiB header limit (fastify
 * `maxHeaderSize`/`http` options): a Livepeer-Payment with many tickets exceeds it.
 */
export function registerJobRoutes<R>(app: FastifyInstance, deps: JobRoutesDeps<R>): void {
  const dedupe = deps.dedupe instanceof JobDedupe ? deps.dedupe : new JobDedupe({ now: deps.now, ...deps.dedupe });
  const verifier = deps.verifier ?? new SignatureVerifier();
  const handleJob = jobHandler(deps, dedupe, verifier);
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', ...(deps.bodyLimit === undefined ? {} : { bodyLimit: deps.bodyLimit }) }, (_request, body, done) => done(null, body));
    scope.post('/process/request/*', { schema: jobRequestRouteSchema }, handleJob);
    scope.get('/process/token', { schema: jobTokenRouteSchema }, jobTokenHandler(deps));
  });
}

function sendOutcome(reply: FastifyReply, outcome: JobOutcome, balance: string): FastifyReply {
  return reply.code(outcome.status).header('content-type', outcome.contentType).header(BALANCE_HEADER, balance).send(outcome.body);
}

function toOutcome(result: JobDispatchResult): JobOutcome {
  const status = result.status ?? 200;
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`dispatch answered status ${status}`);
  return { status, contentType: result.contentType, body: typeof result.body === 'string' ? Buffer.from(result.body, 'utf8') : result.body };
}

function jobHandler<R>(deps: JobRoutesDeps<R>, dedupe: JobDedupe, verifier: SignatureVerifier) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let verified: VerifiedJobRequest;
    try {
      verified = verifyJobRequest(decodeJobRequestHeader(headerValue(request.headers['livepeer']), deps.maxJobRequestHeaderBytes), verifier);
    } catch (error) {
      return refuseError(reply, error);
    }
    const { job, sender } = verified;
    const subpath = (request.params as Record<string, string | undefined>)['*'] ?? '';
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const work: Work = { verified, subpath, body, contentType: headerValue(request.headers['content-type']) ?? '' };
    // Bad input is refused before anything is reserved, paid or remembered.
    if (deps.validate !== undefined) {
      try {
        await deps.validate(job.capability, { subpath, contentType: work.contentType, body });
      } catch (error) {
        return refuseError(reply, error);
      }
    }

    if (job.id === '') return runJob(deps, request, reply, work, undefined, randomUUID());
    const key = `${addressKey(sender)}\u0000${job.id}`;
    const fingerprint = jobFingerprint({ capability: job.capability, subpath, request: job.request, parameters: job.parameters, body });
    for (;;) {
      const claim = dedupe.claim(key, fingerprint);
      if (claim.kind === 'owner') return runJob(deps, request, reply, work, claim, dispatchRequestId(sender, job.id));
      if (claim.kind === 'conflict') {
        const code = errors.orchestrator.JOB_ID_CONFLICT;
        return refuse(reply, code.status, `job id ${job.id} was already used for a different request`, code.code);
      }
      const outcome = claim.kind === 'done' ? claim.outcome : await claim.settled;
      if (claim.kind === 'done' && outcome === undefined) {
        const code = errors.orchestrator.JOB_RESULT_GONE;
        return refuse(reply, code.status, `job ${job.id} already processed; its result is no longer available`, code.code);
      }
      if (outcome !== undefined) return sendOutcome(reply, outcome, await balanceHeader(deps.payments, sender, job.capability));
      // The run we waited for ended without doing the work: try to run it ourselves.
    }
  };
}

interface Work {
  readonly verified: VerifiedJobRequest;
  readonly subpath: string;
  readonly body: Buffer;
  readonly contentType: string;
}

async function runJob<R>(
  deps: JobRoutesDeps<R>,
  request: FastifyRequest,
  reply: FastifyReply,
  work: Work,
  claim: (JobClaim & { kind: 'owner' }) | undefined,
  requestId: string,
): Promise<FastifyReply> {
  const { job, sender } = work.verified;
  const reservation = deps.admit(job.capability);
  if (reservation === undefined) {
    claim?.abandon();
    return refuse(reply, errors.orchestrator.NO_CAPACITY.status, 'insufficient capacity', errors.orchestrator.NO_CAPACITY.code);
  }
  try {
    const price = unitPrice(deps.priceFor(job.capability, sender));
    if (deps.payments !== undefined && price.sign() > 0) {
      const refusal = await takePayment(deps.payments, sender, job.capability, price, headerValue(request.headers['livepeer-payment']));
      if (refusal !== undefined) return refuse(reply, refusal.status, refusal.text, refusal.code);
    }

    const controller = new AbortController();
    const timeoutMs = job.timeout_seconds * 1000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`job timed out after ${job.timeout_seconds} s`));
    }, timeoutMs);
    timer.unref();
    const onClose = (): void => {
      if (!reply.raw.writableFinished) controller.abort(new Error('the gateway closed the connection'));
    };
    reply.raw.once('close', onClose);

    const start = deps.now();
    let result: JobDispatchResult;
    let outcome: JobOutcome | undefined;
    try {
      result = await deps.dispatch({
        capability: job.capability,
        requestId,
        jobRequestId: job.id,
        subpath: work.subpath,
        request: job.request,
        parameters: job.parameters,
        body: work.body,
        contentType: work.contentType,
        timeoutMs,
        sender: toChecksumAddress(sender),
        signal: controller.signal,
      });
      if (result.lines === undefined) outcome = toOutcome(result);
    } catch (error) {
      clearTimeout(timer);
      // Nothing of the worker's answer reached the gateway, so nothing is debited (go-livepeer charges the
      // seconds here too; docs/adr/0049 says why lpx does not). Its balance header is kept for the gateway's book.
      const code = errors.orchestrator.DISPATCH_FAILED;
      reply.header(BALANCE_HEADER, await balanceHeader(deps.payments, sender, job.capability));
      return refuse(reply, code.status, `job not able to be processed err=${(error as Error).message}`, code.code);
    }
    if (result.lines !== undefined) {
      try {
        const relayed = await relayStream({
          reply,
          lines: result.lines,
          payments: deps.payments,
          sender,
          capability: job.capability,
          price,
          intervalMs: deps.streamDebitIntervalMs ?? STREAM_DEBIT_INTERVAL_MS,
          now: deps.now,
          start,
          signal: controller.signal,
          timedOut: () => timedOut,
        });
        if (relayed.outcome !== undefined) claim?.complete(relayed.outcome);
      } catch {
        // The answer is already under way: it ends where the failure was.
      } finally {
        clearTimeout(timer);
      }
      return reply;
    }
    clearTimeout(timer);
    if (outcome === undefined) throw new RangeError('dispatch answered neither a body nor a stream');
    const after = deps.payments === undefined ? undefined : await chargeForWork(deps.payments, sender, job.capability, price, deps.now() - start);
    claim?.complete(outcome);
    return sendOutcome(reply, outcome, await balanceHeader(deps.payments, sender, job.capability, after));
  } catch (error) {
    return refuseError(reply, error);
  } finally {
    claim?.abandon(); // no-op once completed
    deps.release(reservation);
  }
}
