// A synchronous caller who hangs up cancels its route job (ADR 0064): the job a router here runs is
// aborted at once (its orchestrator request too, nothing failed over, nothing retried); a job still
// queued is removed; a router in another process finds the mark before it starts the job over.
import t from 'tap';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { errors, type JobContext } from '@lpx/sdk';
import { JobsKernel } from '../../src/jobs/index.js';
import { installProblemJson } from '../../src/http/problem-json.js';
import { registerGatewayApi } from '../../src/roles/gateway/gateway-api.js';
import { ClientCancels } from '../../src/roles/gateway/client-cancels.js';
import { routerProcessor, type RouterDeps } from '../../src/roles/gateway/router-processor.js';
import { TenantBudgets } from '../../src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../src/roles/gateway/tenants/tenant-directory.js';
import { WebhookEgressPolicy } from '../../src/roles/gateway/webhooks/egress-policy.js';
import type { RouteJobData, RouteJobResult } from '../../src/roles/gateway/route-job.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

/** An orchestrator that answers only when its request is aborted, recording what the router did. */
function hangingFleet() {
  const seen = { sends: 0, aborted: 0, suspended: 0 };
  const deps: Omit<RouterDeps, 'cancels'> = {
    maxOrchestratorAttempts: 3,
    pick: async () => ({ uri: `https://o${seen.sends + 1}` }),
    send: (_target, job) => {
      seen.sends++;
      return new Promise((_resolve, reject) => {
        job.signal.addEventListener('abort', () => {
          seen.aborted++;
          reject(new Error('request aborted'));
        });
      });
    },
    suspend: () => void seen.suspended++,
    refresh: async () => {},
  };
  return { seen, deps };
}

async function gateway(tt: { teardown(fn: () => unknown): void }, options: { start: boolean; attempts?: number; inline?: boolean }) {
  const node = uniquePrefix('gw-cancel');
  // A hanging orchestrator request left running is aborted at close, not waited for.
  const routes = new JobsKernel({ connection, prefix: `${node}:route`, worker: { drainTimeoutMs: 200 } });
  const cancels = new ClientCancels(connection, `${node}:route`);
  const fleet = hangingFleet();
  const app = Fastify({ logger: false });
  installProblemJson(app);
  const served = new Set<string>();
  registerGatewayApi(app, {
    routes,
    tenants: new TenantDirectory({}),
    budgets: new TenantBudgets(connection, node),
    capabilities: { knownNow: () => true, knows: async () => true },
    jobAttempts: options.attempts ?? 3,
    syncTimeoutMs: 30_000,
    cancels,
    // Queued unless a test asks for the inline run (ADR 0067): the queue keeps the failed job to look at.
    inlineSync: options.inline === true,
    webhookPolicy: new WebhookEgressPolicy({ resolve: async () => [{ address: '93.184.215.14', family: 4 }] }),
    ensureRouter: (capabilityId) => {
      if (served.has(capabilityId)) return;
      served.add(capabilityId);
      routes.registerProcessor<RouteJobData, RouteJobResult>(capabilityId, routerProcessor({ ...fleet.deps, cancels }));
    },
  });
  if (options.start) routes.start();
  await app.listen({ host: '127.0.0.1', port: 0 });
  tt.teardown(async () => {
    await app.close();
    await routes.close();
  });
  const port = (app.server.address() as { port: number }).port;
  /** POSTs a sync job and hangs up once `until` says so. */
  const callAndHangUp = async (until: () => boolean | Promise<boolean>, query = ''): Promise<void> => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `/v1/jobs/byoc/echo${query}`, headers: { 'content-type': 'application/json' } });
    req.on('error', () => {});
    req.end(JSON.stringify({ hello: 'world' }));
    while (!(await until())) await sleep(10);
    req.destroy();
  };
  const queue = () => routes.queueFor('byoc/echo');
  return { routes, cancels, fleet, callAndHangUp, queue };
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error(`not in time: ${what}`);
}

t.test('hanging up aborts the running route job: no failover, no retry, the job fails CANCELLED', async (t) => {
  const gw = await gateway(t, { start: true });
  await gw.callAndHangUp(() => gw.fleet.seen.sends === 1);
  await until(async () => (await gw.queue().getFailedCount()) === 1, 'the job failed');
  const [job] = await gw.queue().getFailed();
  t.match(job?.failedReason, new RegExp(`^${errors.jobs.CANCELLED.code}: the caller of byoc/echo job ${job?.id} hung up`));
  t.equal(job?.attemptsMade, 1, 'no BullMQ retry');
  t.same(gw.fleet.seen, { sends: 1, aborted: 1, suspended: 0 }, 'the orchestrator request was aborted, not blamed, and nobody else was asked');
  const status = await gw.routes.getStatus('byoc/echo', job!.id!);
  t.equal(status?.state, 'failed');
});

t.test('hanging up aborts a route job run inline too: no failover, no retry, nothing left behind', async (t) => {
  const gw = await gateway(t, { start: true, inline: true });
  await gw.callAndHangUp(() => gw.fleet.seen.sends === 1);
  await until(() => gw.fleet.seen.aborted === 1, 'the orchestrator request was aborted');
  await sleep(700); // longer than the first backoff (500 ms): a retry would have sent again by now
  t.same(gw.fleet.seen, { sends: 1, aborted: 1, suspended: 0 }, 'not blamed, and nobody else was asked');
  t.equal(await gw.queue().getJobCountByTypes('waiting', 'active', 'delayed', 'failed', 'completed'), 0, 'the job never went through the queue');
  t.same(await connection.keys(`${gw.routes.prefix}:inline:*`), [], 'nor stays in the ledger');
});

t.test('hanging up while the job is still queued removes it', async (t) => {
  const gw = await gateway(t, { start: false });
  await gw.callAndHangUp(async () => (await gw.queue().getWaitingCount()) === 1);
  await until(async () => (await gw.queue().getWaitingCount()) === 0 && (await gw.queue().getJobCountByTypes('waiting', 'active', 'failed', 'completed')) === 0, 'the queued job was removed');
  t.equal(gw.fleet.seen.sends, 0, 'nothing was sent or paid');
});

t.test('a caller who asked for a webhook may hang up: the job runs on, for the webhook', async (t) => {
  const gw = await gateway(t, { start: true });
  await gw.callAndHangUp(() => gw.fleet.seen.sends === 1, '?webhook=https://hooks.example/done');
  await sleep(300);
  t.same(gw.fleet.seen, { sends: 1, aborted: 0, suspended: 0 }, 'the orchestrator request is still running');
  t.equal(await gw.queue().getActiveCount(), 1);
});

t.test('a router elsewhere finds the mark before it starts the job over, and sends nothing', async (t) => {
  const node = uniquePrefix('gw-cancel-mark');
  const here = new ClientCancels(connection, node);
  const elsewhere = new ClientCancels(connection, node);
  const routes = new JobsKernel({ connection, prefix: node });
  t.teardown(() => routes.close());
  await here.cancel(routes.queueFor('byoc/echo'), 'byoc/echo', 'job-9');
  const fleet = hangingFleet();
  const route = routerProcessor({ ...fleet.deps, cancels: elsewhere });
  const context = (attempt: number): JobContext<RouteJobData> => ({ id: 'job-9', capabilityId: 'byoc/echo', data: { capabilityId: 'byoc/echo', input: null }, attempt, signal: new AbortController().signal, progress: async () => {} });
  await t.rejects(route(context(2)), { name: 'UnrecoverableError', message: /^LPX_ERR_JOBS_CANCELLED/ }, 'a BullMQ retry of a cancelled job stops before sending');
  t.equal(fleet.seen.sends, 0);
  t.equal(await elsewhere.isCancelled('job-10'), false, 'other jobs are not marked');
});

t.test('a tracked run aborts with its job or its caller, and says which', async (t) => {
  const cancels = new ClientCancels(connection, uniquePrefix('gw-cancel-track'));
  const routes = new JobsKernel({ connection, prefix: uniquePrefix('gw-cancel-track-q') });
  t.teardown(() => routes.close());
  const queue = routes.queueFor('byoc/echo');

  const job = new AbortController();
  const byJob = cancels.track('job-a', job.signal);
  job.abort(new Error('worker closing'));
  t.ok(byJob.signal.aborted, "the job's own abort reaches the tracked signal");
  t.equal((byJob.signal.reason as Error).message, 'worker closing', 'with its reason');
  t.equal(byJob.hungUp, false, 'not the caller');
  await cancels.cancel(queue, 'byoc/echo', 'job-a');
  t.equal(byJob.hungUp, false, 'a hang-up after the job already stopped does not claim it');
  t.equal((byJob.signal.reason as Error).message, 'worker closing', 'nor change its reason');
  byJob.done();

  const byCaller = cancels.track('job-b', new AbortController().signal);
  await cancels.cancel(queue, 'byoc/echo', 'job-b');
  t.ok(byCaller.signal.aborted);
  t.equal(byCaller.hungUp, true, 'the caller hung up');
  t.match(byCaller.signal.reason, { code: 'LPX_ERR_JOBS_CANCELLED' });
  byCaller.done();

  const already = new AbortController();
  already.abort(new Error('gone before'));
  t.ok(cancels.track('job-c', already.signal).signal.aborted, 'a job aborted before tracking starts aborted');

  const later = new AbortController();
  const ended = cancels.track('job-d', later.signal);
  ended.done();
  later.abort();
  t.notOk(ended.signal.aborted, 'once done, the job signal is no longer listened to');
  await cancels.cancel(queue, 'byoc/echo', 'job-d');
  t.equal(await cancels.isCancelled('job-d'), true, 'a job no longer tracked here is marked for routers elsewhere');
});
