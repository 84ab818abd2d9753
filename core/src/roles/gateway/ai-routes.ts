/**
 * go-livepeer's gateway AI routes for apps, on the gateway's HTTP port
 * (server/ai_mediaserver.go): `POST /<pipeline>` with the body as
 * go-livepeer's gateway takes it (JSON or multipart/form-data), answered
 * with the pipeline's JSON (media URLs pointing at this gateway) or, for an
 * LLM request with `stream: true`, server-sent events. Long pipelines take
 * `Prefer: respond-async`: 202 `{request_id}`, then `POST
 * /<pipeline>/result {request_id}` → 202 `{status: "processing"}` or 200
 * `{status: "complete", result}` (go-livepeer's image-to-video shape; the
 * job is a durable route job, so it survives this process). Errors keep
 * go-livepeer's shape `{"error":{"message"}}` — 500 says "Internal Server
 * Error", 503 "Service Unavailable Error", 4xx the reason — plus lpx's code
 * next to the message (ADR 0034). Tenants authenticate with a bearer key as
 * on /v1/jobs.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AI_PIPELINES, aiCapabilityId, errors, isLpxError, type AIPipelineName } from '@lpx/sdk';
import type { JobsKernel } from '../../jobs/index.js';
import { passBodyThrough } from '../../network/segment/request-body.js';
import { readAIRequestBody } from '../orchestrator/ai-request-body.js';
import { aiInputFromBody } from './ai-job.js';
import type { AIPipelineSource } from './ai-pipeline-source.js';
import type { AIRouteResult } from './ai-processor.js';
import type { AIGatewayService } from './ai-service.js';
import type { RouteJobData } from './route-job.js';
import type { TenantBudgets } from './tenants/tenant-budgets.js';
import type { Tenant, TenantDirectory } from './tenants/tenant-directory.js';
import { documentRoutes } from '../../http/openapi/route-docs.js';
import { aiRouteDocs } from './gateway-route-docs.js';

export interface AIRoutesDeps {
  readonly service: AIGatewayService;
  readonly pipelines: AIPipelineSource;
  readonly tenants: TenantDirectory;
  readonly budgets: TenantBudgets;
  readonly routes: Pick<JobsKernel, 'submit' | 'getStatus' | 'queueFor'>;
  ensureRouter(capabilityId: string): void;
}

/** Codes that mean "nobody can serve this now": go-livepeer's 503. */
const UNAVAILABLE = new Set<string>([
  errors.gateway.NO_ORCHESTRATORS.code,
  errors.gateway.PRICE_TOO_HIGH.code,
  errors.ai.NO_CAPACITY.code,
  errors.jobs.FAILED.code,
  errors.jobs.TIMEOUT.code,
]);

/** go-livepeer's respondJsonError: its three statuses and texts, lpx's code alongside. */
export function sendGoError(reply: FastifyReply, error: unknown): FastifyReply {
  const coded = isLpxError(error) ? error : undefined;
  // go-livepeer answers an unknown async request id with 400 "invalid request ID".
  let status = coded?.code === errors.ai.JOB_UNKNOWN.code ? 400 : (coded?.status ?? 500);
  if (status >= 500) status = coded !== undefined && UNAVAILABLE.has(coded.code) ? 503 : 500;
  if (status === 499) status = 400;
  const message = status === 500 ? 'Internal Server Error' : status === 503 ? 'Service Unavailable Error' : (error instanceof Error ? error.message : String(error));
  if (coded !== undefined) reply.header('lpx-error-code', coded.code);
  return reply
    .status(status)
    .type('application/json')
    .send({ error: { message, ...(coded !== undefined ? { code: coded.code } : {}) } });
}

function authenticate(deps: AIRoutesDeps, request: FastifyRequest): Tenant | undefined {
  return deps.tenants.authenticate(request.headers.authorization);
}

async function admit(deps: AIRoutesDeps, tenant: Tenant | undefined, capabilityId: string): Promise<void> {
  if (tenant === undefined) return;
  if (!tenant.allows(capabilityId)) throw errors.gateway.CAPABILITY_NOT_ALLOWED.create(`tenant ${tenant.name} may not use ${capabilityId}`);
  await deps.budgets.assertWithin(tenant);
}

async function relayStream(request: FastifyRequest, reply: FastifyReply, events: AsyncIterable<Readonly<Record<string, unknown>>>, abort: AbortController): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  request.raw.on('close', () => abort.abort());
  raw.on('close', () => abort.abort());
  try {
    for await (const event of events) {
      if (raw.destroyed) break;
      raw.write(`data: ${JSON.stringify(event)}\n\n`);
    }
  } catch (error) {
    // The status is out; all that is left is to say so in the stream and end it.
    if (!raw.destroyed) raw.write(`data: ${JSON.stringify({ error: { message: error instanceof Error ? error.message : String(error) } })}\n\n`);
  } finally {
    raw.end();
  }
}

export function registerAIRoutes(app: FastifyInstance, deps: AIRoutesDeps): void {
  app.register(async (scope) => {
    // Bodies are read here within ai.limits, JSON or multipart alike.
    passBodyThrough(scope);
    documentRoutes(scope, aiRouteDocs);
    for (const name of AI_PIPELINES) {
      scope.post(`/${name}`, async (request, reply) => {
        const abort = new AbortController();
        try {
          const tenant = authenticate(deps, request);
          const capabilityId = aiCapabilityId(name);
          const pipeline = deps.pipelines.get(name);
          if (pipeline === undefined) throw errors.ai.PIPELINE_UNKNOWN.create(`this gateway has no AI pipeline ${name} (no pipeline plugin loaded for it)`);
          await admit(deps, tenant, capabilityId);
          const body = await readAIRequestBody(request, pipeline, deps.pipelines.limits.maxBodyBytes);
          if (pipeline.async === true && /respond-async/i.test(String(request.headers.prefer ?? ''))) {
            // Checked now so a bad request is a 400 here, not a failed job later.
            await pipeline.validate(body, deps.pipelines.limits);
            const data: RouteJobData = { capabilityId, input: aiInputFromBody(body), ...(tenant !== undefined ? { tenant: tenant.name } : {}) };
            deps.ensureRouter(capabilityId);
            const { id } = await deps.routes.submit(capabilityId, data, { attempts: 1, jobId: randomUUID() });
            return reply.status(202).type('application/json').send({ request_id: id });
          }
          request.raw.on('close', () => {
            if (!reply.raw.writableEnded) abort.abort();
          });
          const result = await deps.service.ai({ pipeline: name, body, signal: abort.signal, ...(tenant !== undefined ? { tenant: tenant.name } : {}) });
          reply.header('lpx-orchestrator', result.orchestrator);
          if (result.kind === 'stream') return relayStream(request, reply, result.events, abort);
          return reply.type('application/json').send(result.json);
        } catch (error) {
          return sendGoError(reply, error);
        }
      });
      scope.post(`/${name}/result`, async (request, reply) => {
        try {
          const tenant = authenticate(deps, request);
          return await resultOf(deps, name, tenant, await readJson(request), reply);
        } catch (error) {
          return sendGoError(reply, error);
        }
      });
    }
  });
}

async function readJson(request: FastifyRequest): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > 64 * 1024) throw errors.ai.REQUEST_INVALID.create('the result request is too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (cause) {
    throw errors.ai.REQUEST_INVALID.create(`the body is not JSON: ${(cause as Error).message}`, { cause });
  }
}

/** go-livepeer's ImageToVideoResult: 400 "invalid request ID", 202 processing, 200 complete (with the error when it failed). */
async function resultOf(deps: AIRoutesDeps, name: AIPipelineName, tenant: Tenant | undefined, body: unknown, reply: FastifyReply): Promise<FastifyReply> {
  const requestId = (body as { request_id?: unknown } | null)?.request_id;
  const capabilityId = aiCapabilityId(name);
  const invalidId = (): Error => errors.ai.JOB_UNKNOWN.create('invalid request ID');
  if (typeof requestId !== 'string' || requestId === '' || requestId.length > 128) throw invalidId();
  const job = await deps.routes.queueFor(capabilityId).getJob(requestId);
  // Another tenant's request answers exactly as a missing one.
  if (job === undefined || (tenant !== undefined && (job.data as Partial<RouteJobData>).tenant !== tenant.name)) throw invalidId();
  const status = await deps.routes.getStatus<AIRouteResult>(capabilityId, requestId);
  if (status === undefined) throw invalidId();
  if (status.state === 'completed' && status.result !== undefined) return reply.status(200).type('application/json').send({ status: 'complete', result: status.result.output.json });
  if (status.state === 'failed') {
    return reply.status(200).type('application/json').send({ status: 'complete', result: { error: { message: status.failedReason ?? 'Internal Server Error' } } });
  }
  return reply.status(202).type('application/json').send({ status: 'processing' });
}
