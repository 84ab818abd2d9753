/**
 * The client-facing job API of the gateway role, on the node's HTTP edge:
 *   POST /v1/jobs/<domain>/<name>           run a job (waits for the result)
 *        ?async=true or `Prefer: respond-async` → 202 with the job id
 *        ?webhook=<url> or `Lpx-Webhook`      → the result is POSTed there too
 *   GET  /v1/jobs/<domain>/<name>/<id>      status and result
 * Every accepted request is a durable BullMQ job before the reply is sent, so
 * a gateway crash after "202" loses nothing: another gateway instance (or this
 * one after restart) routes it.
 */
import type { FastifyInstance } from 'fastify';
import { errors, isCapabilityId, type JobsService } from '@lpx/sdk';
import type { RouteJobData, RouteJobResult } from './route-job.js';
import { WebhookEgressPolicy } from './webhooks/egress-policy.js';

export interface GatewayApiDeps {
  /** The router's jobs service (queues of route jobs, not worker queues). */
  readonly routes: JobsService;
  /** Makes sure a router worker serves this capability in this process. */
  readonly ensureRouter: (capabilityId: string) => void;
  readonly jobAttempts: number;
  /** Default wait for synchronous callers. */
  readonly syncTimeoutMs: number;
  /** Where webhooks may go (gateway.webhooks, ADR 0019); absent: loopback and private ranges refused. */
  readonly webhookPolicy?: WebhookEgressPolicy;
}

interface JobParams {
  domain: string;
  name: string;
  id?: string;
}

function capabilityOf(params: JobParams): string {
  const id = `${params.domain}/${params.name}`;
  if (!isCapabilityId(id)) throw errors.capability.INVALID_ID.create(`'${id}' is not a capability id (<domain>/<name>, lowercase)`);
  return id;
}

/** The refusing default when a caller wires no policy: loopback and private destinations are a coded 400. */
const defaultWebhookPolicy = new WebhookEgressPolicy();

/** The normalised webhook URL after the egress check (ADR 0019: syntax, DNS, refused ranges), or undefined. */
async function webhookOf(query: Record<string, string | undefined>, header: string | string[] | undefined, policy: WebhookEgressPolicy = defaultWebhookPolicy): Promise<string | undefined> {
  const raw = query.webhook ?? (typeof header === 'string' ? header : undefined);
  if (raw === undefined || raw === '') return undefined;
  return policy.check(raw);
}

export function registerGatewayApi(app: FastifyInstance, deps: GatewayApiDeps): void {
  app.post<{ Params: JobParams; Querystring: Record<string, string | undefined> }>('/v1/jobs/:domain/:name', async (request, reply) => {
    const capabilityId = capabilityOf(request.params);
    const webhook = await webhookOf(request.query, request.headers['lpx-webhook'], deps.webhookPolicy);
    const wantsAsync = request.query.async === 'true' || /respond-async/i.test(String(request.headers.prefer ?? ''));
    const timeoutMs = request.query.timeoutMs !== undefined ? Number(request.query.timeoutMs) : deps.syncTimeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw errors.http.BAD_REQUEST.create(`timeoutMs must be a positive integer, got ${request.query.timeoutMs}`);
    const data: RouteJobData = { capabilityId, input: request.body ?? null, ...(webhook !== undefined ? { webhook } : {}) };
    deps.ensureRouter(capabilityId);
    const backoff = { type: 'exponential' as const, delayMs: 500 };
    if (wantsAsync) {
      const { id } = await deps.routes.submit(capabilityId, data, { attempts: deps.jobAttempts, backoff });
      return reply.status(202).header('location', `/v1/jobs/${capabilityId}/${id}`).send({ id, capability: capabilityId, status: `/v1/jobs/${capabilityId}/${id}` });
    }
    // A failure after every attempt is LPX_ERR_JOBS_FAILED (502); a slow one LPX_ERR_JOBS_TIMEOUT (504), still queued.
    const result = await deps.routes.submitAndWait<RouteJobData, RouteJobResult>(capabilityId, data, { attempts: deps.jobAttempts, backoff, timeoutMs });
    return reply.header('lpx-orchestrator', result.orchestrator).send(result.output);
  });

  app.get<{ Params: JobParams }>('/v1/jobs/:domain/:name/:id', async (request) => {
    const capabilityId = capabilityOf(request.params);
    const status = await deps.routes.getStatus(capabilityId, request.params.id!);
    if (status === undefined) throw errors.jobs.NOT_FOUND.create(`no ${capabilityId} job ${request.params.id}`);
    return status;
  });
}
