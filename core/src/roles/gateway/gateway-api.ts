/**
 * The client-facing job API of the gateway role, on the node's HTTP edge:
 *   POST /v1/jobs/<domain>/<name>           run a job (waits for the result)
 *        ?async=true or `Prefer: respond-async` → 202 with the job id
 *        ?webhook=<url> or `Lpx-Webhook`      → the result is POSTed there too
 *   GET  /v1/jobs/<domain>/<name>/<id>      status and result (the submitting tenant only)
 * Both need `Authorization: Bearer <key>` of a tenant (ADR 0017) unless the
 * gateway has none (open, loopback only). Refusals (401, 403, 404, 402) all
 * happen before anything is queued or paid.
 * Every accepted request is durable before the reply is sent — a BullMQ job,
 * or, for a synchronous one the router here runs at once, an entry in the
 * process's inline ledger that another process sweeps into the queue should
 * this one die (ADR 0067) — so
 * a gateway crash after "202" loses nothing: another gateway instance (or this
 * one after restart) routes it.
 *
 * A synchronous caller whose orchestrator answers `text/event-stream` gets
 * the lines as they arrive, through the route job's stream (route-relay.ts;
 * the router may run in another process), under go-livepeer's gateway reply
 * headers; an async caller finds the events in the stored result. A 4xx that
 * blames the request reaches the caller as that 4xx with its code
 * (problem+json), and the job status carries it as `error` (ADR 0049).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, isCapabilityId, isLpxError, type JobStatus } from '@lpx/sdk';
import type { JobsKernel } from '../../jobs/index.js';
import { codedErrorOf, errorFromReason } from '../../jobs/coded-failure.js';
import type { RelayEntry } from '../../jobs/stream-relay.js';
import type { RouteJobData, RouteJobResult } from './route-job.js';
import { WebhookEgressPolicy } from './webhooks/egress-policy.js';
import type { KnownCapabilities } from './tenants/known-capabilities.js';
import type { TenantBudgets } from './tenants/tenant-budgets.js';
import type { Tenant, TenantDirectory } from './tenants/tenant-directory.js';
import { jobStatusRouteSchema, submitJobRouteSchema } from './gateway-api-schemas.js';
import { whenCallerLeaves, type ClientCancels } from './client-cancels.js';

export interface GatewayApiDeps {
  /** The router's jobs kernel (queues of route jobs, not worker queues). */
  readonly routes: JobsKernel;
  /** Makes sure a router worker serves this capability in this process. */
  readonly ensureRouter: (capabilityId: string) => void;
  readonly jobAttempts: number;
  /** Default wait for synchronous callers. */
  readonly syncTimeoutMs: number;
  /** Who may call (ADR 0017); a directory without tenants is an open, loopback-only gateway. */
  readonly tenants: TenantDirectory;
  readonly budgets: TenantBudgets;
  /** Capabilities this gateway routes; others are a 404 with no side effect. */
  readonly capabilities: Pick<KnownCapabilities, 'knows' | 'knownNow'>;
  /** Where webhooks may go (gateway.webhooks, ADR 0019); absent: loopback and private ranges refused. */
  readonly webhookPolicy?: WebhookEgressPolicy;
  /** Cancels the route job of a synchronous caller who hangs up (ADR 0064); absent: the job runs on. */
  readonly cancels?: ClientCancels;
  /** Synchronous requests run in this process without the route queue when they can (ADR 0067; default true). */
  readonly inlineSync?: boolean;
}

/**
 * A synchronous caller's route job is cancelled if its connection closes
 * before the answer is out; a job with a webhook runs on, for the webhook.
 */
export function cancelOnHangUp(deps: GatewayApiDeps, request: FastifyRequest, reply: FastifyReply, capabilityId: string, jobId: string): void {
  const cancels = deps.cancels;
  if (cancels === undefined) return;
  whenCallerLeaves(reply.raw, () => {
    request.log.info({ capabilityId, jobId }, 'the caller hung up: cancelling its route job');
    cancels.cancel(deps.routes.queueFor(capabilityId), capabilityId, jobId).catch((error: unknown) => request.log.warn({ err: error, jobId }, 'could not cancel the route job of a caller who hung up'));
  });
}

/** setTimeout's ceiling: a longer wait would fire at once (an instant 504). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

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

function parseTimeout(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return Math.min(fallback, MAX_TIMEOUT_MS);
  const timeoutMs = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw errors.http.BAD_REQUEST.create(`timeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS}, got ${raw}`);
  }
  return timeoutMs;
}

/** The caller's tenant (undefined on an open gateway); 401s carry the challenge header RFC 9110 asks for. */
export function authenticate(deps: GatewayApiDeps, authorization: string | undefined, reply: FastifyReply): Tenant | undefined {
  try {
    return deps.tenants.authenticate(authorization);
  } catch (error) {
    reply.header('www-authenticate', 'Bearer realm="lpx"');
    throw error;
  }
}

export async function assertWithinBudget(deps: GatewayApiDeps, tenant: Tenant | undefined, reply: FastifyReply): Promise<void> {
  if (tenant === undefined) return;
  try {
    await deps.budgets.assertWithin(tenant);
  } catch (error) {
    const after = isLpxError(error) ? error.details?.retryAfterSeconds : undefined;
    if (typeof after === 'number') reply.header('retry-after', String(after));
    throw error;
  }
}

function notFound(capabilityId: string, id: string): Error {
  return errors.jobs.NOT_FOUND.create(`no ${capabilityId} job ${id}`);
}

export function registerGatewayApi(app: FastifyInstance, deps: GatewayApiDeps): void {
  app.post<{ Params: JobParams; Querystring: Record<string, string | undefined> }>('/v1/jobs/:domain/:name', { schema: submitJobRouteSchema }, async (request, reply) => {
    // Every refusal comes before anything is queued, routed or paid.
    const tenant = authenticate(deps, request.headers.authorization, reply);
    const capabilityId = capabilityOf(request.params);
    if (tenant !== undefined && !tenant.allows(capabilityId)) {
      throw errors.gateway.CAPABILITY_NOT_ALLOWED.create(`tenant ${tenant.name} may not use ${capabilityId}`);
    }
    if (!(await deps.capabilities.knows(capabilityId))) {
      throw errors.gateway.UNKNOWN_CAPABILITY.create(`this gateway does not route ${capabilityId}: no orchestrator offers it and it is not configured`);
    }
    const webhook = await webhookOf(request.query, request.headers['lpx-webhook'], deps.webhookPolicy);
    const wantsAsync = request.query.async === 'true' || /respond-async/i.test(String(request.headers.prefer ?? ''));
    const timeoutMs = parseTimeout(request.query.timeoutMs, deps.syncTimeoutMs);
    await assertWithinBudget(deps, tenant, reply);
    const data: RouteJobData = {
      capabilityId,
      input: request.body ?? null,
      ...(webhook !== undefined ? { webhook } : {}),
      ...(tenant !== undefined ? { tenant: tenant.name } : {}),
    };
    deps.ensureRouter(capabilityId);
    const backoff = { type: 'exponential' as const, delayMs: 500 };
    if (wantsAsync) {
      // Our own random id, not BullMQ's counter: ids cannot be guessed or enumerated.
      const { id } = await deps.routes.submit(capabilityId, data, { attempts: deps.jobAttempts, backoff, jobId: randomUUID() });
      return reply.status(202).header('location', `/v1/jobs/${capabilityId}/${id}`).send({ id, capability: capabilityId, status: `/v1/jobs/${capabilityId}/${id}` });
    }
    // A failure after every attempt is LPX_ERR_JOBS_FAILED (502), or the coded 4xx that blamed the request;
    // a slow one LPX_ERR_JOBS_TIMEOUT (504), still queued.
    const jobId = randomUUID();
    if (webhook === undefined) cancelOnHangUp(deps, request, reply, capabilityId, jobId);
    const unended = () => errors.jobs.FAILED.create(`the ${capabilityId} job ${jobId} ended before its event stream did`);
    const opening = await deps.routes
      .submitAndStream<RouteJobData, RouteJobResult>(capabilityId, { ...data, relay: true }, { jobId, freshId: true, inline: webhook === undefined && deps.inlineSync !== false, attempts: deps.jobAttempts, backoff, timeoutMs, unended })
      .catch((error: unknown) => {
        throw codedErrorOf(error);
      });
    if (opening.kind === 'result') {
      const { result } = opening;
      return reply.headers({ ...result.headers, 'lpx-orchestrator': result.orchestrator }).send(result.output);
    }
    return relayStream(request, reply, opening.first, opening.rest);
  });

  app.get<{ Params: JobParams }>('/v1/jobs/:domain/:name/:id', { schema: jobStatusRouteSchema }, async (request, reply) => {
    const tenant = authenticate(deps, request.headers.authorization, reply);
    const capabilityId = capabilityOf(request.params);
    const id = request.params.id!;
    // An unknown capability has no queue to look in; asking would create one.
    if (!deps.capabilities.knownNow(capabilityId)) throw notFound(capabilityId, id);
    const job = await deps.routes.queueFor(capabilityId).getJob(id);
    // Another tenant's job answers exactly as a missing one: existence is not leaked.
    if (job === undefined || (tenant !== undefined && (job.data as Partial<RouteJobData>).tenant !== tenant.name)) throw notFound(capabilityId, id);
    const status = await deps.routes.getStatus(capabilityId, id);
    if (status === undefined) throw notFound(capabilityId, id);
    return withError(status);
  });
}

/** A failed job whose failure names a code: `error` says it as the sync caller would have got it. */
function withError(status: JobStatus): JobStatus & { error?: { code: string; status: number; detail: string } } {
  const coded = status.state === 'failed' && status.failedReason !== undefined ? errorFromReason(status.failedReason) : undefined;
  return coded === undefined ? status : { ...status, error: { code: coded.code, status: coded.status, detail: coded.message } };
}

/**
 * The orchestrator's event stream to the caller, line by line as the router
 * appends it, each line with its end (as go-livepeer's gateway writes it).
 * The status is out with the first entry: a router that fails later, or a
 * job that starts its stream over (a stalled job run again elsewhere), just
 * ends the answer. A caller that leaves stops the reading (and, through
 * cancelOnHangUp, the job).
 */
export async function relayStream(request: FastifyRequest, reply: FastifyReply, first: RelayEntry, rest: AsyncGenerator<RelayEntry>): Promise<FastifyReply> {
  const raw = reply.hijack().raw;
  const headers = first.t === 'start' ? (first.headers ?? {}) : {};
  const orchestrator = headers['x-orchestrator-url'];
  raw.writeHead(200, { ...headers, ...(orchestrator !== undefined ? { 'lpx-orchestrator': orchestrator } : {}), 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  raw.flushHeaders();
  // The response's close: the caller went away (or the answer ended, then this is a no-op).
  const left = (): void => void rest.return(undefined).catch(() => undefined);
  raw.once('close', left);
  try {
    if (first.t === 'start') {
      for await (const entry of rest) {
        if (raw.destroyed || entry.t !== 'data') break;
        raw.write(`${String(entry.d['line'] ?? '')}\n`);
      }
    }
  } catch (error) {
    request.log.warn({ err: error }, 'a relayed event stream ended early');
  } finally {
    raw.off('close', left);
    raw.end();
  }
  return reply;
}
