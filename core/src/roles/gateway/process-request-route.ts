/**
 * go-livepeer's BYOC client route on the gateway (byoc/job_gateway.go):
 * `POST /process/request/<path>` with an unsigned `Livepeer` header
 * (base64 JSON JobRequest: capability, request, parameters,
 * timeout_seconds), so an app written for a go-livepeer gateway works
 * against lpx. Same tenant auth as /v1/jobs; the request becomes the same
 * durable route job (capability `byoc/<capability>`), carrying the path,
 * the JobRequest strings, the timeout and the body as sent; the
 * parameters' `orchestrators.include/exclude` limit the choice. The answer
 * is synchronous, with go-livepeer's reply headers; an event stream is
 * relayed as it arrives (ADR 0049). The gateway signs the job itself.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { errors, isCapabilityId } from '@lpx/sdk';
import { codedErrorOf } from '../../jobs/coded-failure.js';
import { decodeJobRequestHeader } from '../../network/byoc/index.js';
import { headerValue } from '../../network/byoc/http-refusal.js';
import { assertWithinBudget, authenticate, cancelOnHangUp, relayStream, type GatewayApiDeps } from './gateway-api.js';
import type { RouteJobData, RouteJobResult } from './route-job.js';
import { documentRoutes } from '../../http/openapi/route-docs.js';
import { byocStreamRouteDocs } from './gateway-route-docs.js';
import { BoundedMemo } from '../../memo/bounded-memo.js';

/** Strings seen to parse: a client sends the same request and parameters job after job. */
const knownJson = new BoundedMemo<string, true>(64);
const KNOWN_JSON_CHARS = 4096;

function parsesAsJson(text: string): boolean {
  if (knownJson.has(text)) return true;
  try {
    JSON.parse(text === '' ? '{}' : text);
  } catch {
    return false;
  }
  if (text.length <= KNOWN_JSON_CHARS) knownJson.set(text, true);
  return true;
}

export function registerProcessRequestRoute(app: FastifyInstance, deps: GatewayApiDeps & { readonly maxBodyBytes?: number }): void {
  app.register(async (scope) => {
    // The body goes to the app as it came, whatever its type.
    documentRoutes(scope, byocStreamRouteDocs);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', ...(deps.maxBodyBytes !== undefined ? { bodyLimit: deps.maxBodyBytes } : {}) }, (_request, body, done) => done(null, body));
    scope.post('/process/request/*', async (request, reply) => {
      const tenant = authenticate(deps, request.headers.authorization, reply);
      const job = decodeJobRequestHeader(headerValue(request.headers['livepeer']));
      if (job.timeout_seconds <= 0) throw errors.orchestrator.JOB_REQUEST_NO_TIMEOUT.create('no timeout_seconds set with request, timeout_seconds is required');
      if (!parsesAsJson(job.request) || !parsesAsJson(job.parameters)) throw errors.orchestrator.JOB_REQUEST_MALFORMED.create('JobRequest.request and .parameters must be JSON strings');
      const name = job.capability;
      const capabilityId = isCapabilityId(name) ? name : `byoc/${name}`;
      if (name === '' || !isCapabilityId(capabilityId)) throw errors.capability.INVALID_ID.create(`'${name}' is not a BYOC capability name`);
      if (tenant !== undefined && !tenant.allows(capabilityId)) throw errors.gateway.CAPABILITY_NOT_ALLOWED.create(`tenant ${tenant.name} may not use ${capabilityId}`);
      if (!(await deps.capabilities.knows(capabilityId))) throw errors.gateway.UNKNOWN_CAPABILITY.create(`this gateway does not route ${capabilityId}: no orchestrator offers it and it is not configured`);
      await assertWithinBudget(deps, tenant, reply);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const data: RouteJobData = {
        capabilityId,
        input: body.toString('base64'),
        relay: true,
        byoc: { subpath: (request.params as Record<string, string | undefined>)['*'] ?? '', request: job.request, parameters: job.parameters, timeoutSeconds: job.timeout_seconds, contentType: headerValue(request.headers['content-type']) ?? '' },
        ...(tenant !== undefined ? { tenant: tenant.name } : {}),
      };
      deps.ensureRouter(capabilityId);
      const jobId = randomUUID();
      cancelOnHangUp(deps, request, reply, capabilityId, jobId);
      const unended = () => errors.jobs.FAILED.create(`the ${capabilityId} job ${jobId} ended before its event stream did`);
      // go-livepeer's gateway waits timeout_seconds + 5 s per orchestrator; ours may try several.
      const timeoutMs = Math.max(deps.syncTimeoutMs, (job.timeout_seconds + 5) * 1000);
      const opening = await deps.routes
        .submitAndStream<RouteJobData, RouteJobResult>(capabilityId, data, { jobId, freshId: true, inline: deps.inlineSync !== false, attempts: deps.jobAttempts, backoff: { type: 'exponential', delayMs: 500 }, timeoutMs, unended })
        .catch((error: unknown) => {
          throw codedErrorOf(error);
        });
      if (opening.kind === 'stream') return relayStream(request, reply, opening.first, opening.rest);
      const { result } = opening;
      reply.headers({ ...result.headers, 'lpx-orchestrator': result.orchestrator });
      // The answer as the app gave it (the job sender kept it byte for byte).
      const output = result.output as { contentType?: unknown; body?: unknown } | null;
      const contentType = typeof output?.contentType === 'string' ? output.contentType : 'application/octet-stream';
      return reply.type(contentType).send(Buffer.from(typeof output?.body === 'string' ? output.body : '', 'base64'));
    });
  });
}
