import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { errors, type JobProcessor } from '@lpx/sdk';
import { JobsKernel } from '../../src/jobs/index.js';
import { installProblemJson } from '../../src/http/problem-json.js';
import { registerGatewayApi, type GatewayApiDeps } from '../../src/roles/gateway/gateway-api.js';
import { TenantBudgets } from '../../src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../src/roles/gateway/tenants/tenant-directory.js';
import type { RouteJobData, RouteJobResult } from '../../src/roles/gateway/route-job.js';
import { WebhookEgressPolicy } from '../../src/roles/gateway/webhooks/egress-policy.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

interface Api {
  app: FastifyInstance;
  routes: JobsKernel;
  /** Capabilities ensureRouter was asked for, in order. */
  ensured: string[];
  /** Route jobs the processor saw. */
  seen: RouteJobData[];
}

/** A fastify app with the gateway API over a real JobsKernel, whose router processor is `processor` for every capability. */
async function api(tt: { teardown(fn: () => unknown): void }, processor: JobProcessor<RouteJobData, RouteJobResult>, jobAttempts = 1, extra: Partial<GatewayApiDeps> = {}): Promise<Api> {
  const node = uniquePrefix('gw-api');
  const routes = new JobsKernel({ connection, prefix: `${node}:route` });
  const app = Fastify({ logger: false });
  installProblemJson(app);
  const ensured: string[] = [];
  const seen: RouteJobData[] = [];
  const served = new Set<string>();
  registerGatewayApi(app, {
    routes,
    // An open gateway (no tenants) that routes every capability: these tests are about the API itself.
    tenants: new TenantDirectory({}),
    budgets: new TenantBudgets(connection, node),
    capabilities: { knownNow: () => true, knows: async () => true },
    ...extra,
    jobAttempts,
    syncTimeoutMs: 10_000,
    ensureRouter: (capabilityId) => {
      ensured.push(capabilityId);
      if (served.has(capabilityId)) return;
      served.add(capabilityId);
      routes.registerProcessor<RouteJobData, RouteJobResult>(capabilityId, async (job) => {
        seen.push(job.data);
        return processor(job);
      });
    },
  });
  routes.start();
  await app.ready();
  tt.teardown(async () => {
    await app.close();
    await routes.close();
  });
  return { app, routes, ensured, seen };
}

const echo: JobProcessor<RouteJobData, RouteJobResult> = async (job) => ({ output: { echoed: job.data.input }, orchestrator: 'https://o', tried: 1 });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value ${JSON.stringify(value)}`);
    await sleep(25);
  }
}

t.test('sync POST returns the output and the orchestrator header', async (t) => {
  const { app, ensured, seen } = await api(t, echo);
  const res = await app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo', payload: { hello: 'world' } });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { echoed: { hello: 'world' } });
  t.equal(res.headers['lpx-orchestrator'], 'https://o');
  t.same(ensured, ['byoc/echo'], 'the router was ensured for the capability');
  t.same(seen, [{ capabilityId: 'byoc/echo', input: { hello: 'world' }, relay: true }], 'the route job carries the capability and the body, no webhook; a sync caller reads its stream');
});

t.test('sync POST without a body sends null as the input', async (t) => {
  const { app, seen } = await api(t, echo);
  const res = await app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { echoed: null });
  t.same(seen, [{ capabilityId: 'byoc/echo', input: null, relay: true }]);
});

t.test('?async=true answers 202 with the id; GET reaches completed with the result', async (t) => {
  const { app } = await api(t, echo);
  const res = await app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo?async=true', payload: { n: 1 } });
  t.equal(res.statusCode, 202);
  const body = res.json<{ id: string; capability: string; status: string }>();
  t.type(body.id, 'string');
  t.ok(body.id.length > 0);
  t.equal(body.capability, 'byoc/echo');
  t.equal(body.status, `/v1/jobs/byoc/echo/${body.id}`);
  t.equal(res.headers.location, body.status);
  const status = await until(
    async () => (await app.inject({ method: 'GET', url: body.status })).json<{ state: string; finishedAt?: number }>(),
    // A final state: the status reads the state before the job, so finishedAt alone may come with 'active'.
    (s) => s.state === 'completed' || s.state === 'failed',
  );
  t.match(status, { id: body.id, capabilityId: 'byoc/echo', state: 'completed', result: { output: { echoed: { n: 1 } }, orchestrator: 'https://o', tried: 1 } });
});

t.test('Prefer: respond-async is async too', async (t) => {
  const { app } = await api(t, echo);
  const res = await app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo', headers: { prefer: 'respond-async, wait=5' }, payload: { n: 2 } });
  t.equal(res.statusCode, 202);
  const { id } = res.json<{ id: string }>();
  const status = await until(
    async () => (await app.inject({ method: 'GET', url: `/v1/jobs/byoc/echo/${id}` })).json<{ state: string; finishedAt?: number }>(),
    (s) => s.state === 'completed' || s.state === 'failed',
  );
  t.match(status, { state: 'completed', result: { output: { echoed: { n: 2 } } } });
});

t.test('a webhook from the query or the Lpx-Webhook header travels with the job', async (t) => {
  // hooks.example answers (in this stand-in DNS) with a public address, so the egress policy lets it through.
  const { app, seen } = await api(t, echo, 1, { webhookPolicy: new WebhookEgressPolicy({ resolve: async () => [{ address: '93.184.215.14', family: 4 }] }) });
  const fromQuery = await app.inject({ method: 'POST', url: `/v1/jobs/byoc/echo?webhook=${encodeURIComponent('https://hooks.example/a')}`, payload: {} });
  t.equal(fromQuery.statusCode, 200);
  const fromHeader = await app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo', headers: { 'lpx-webhook': 'http://hooks.example/b' }, payload: {} });
  t.equal(fromHeader.statusCode, 200);
  t.same(seen.map((d) => d.webhook), ['https://hooks.example/a', 'http://hooks.example/b']);
});

t.test('an invalid capability id is a 400 with LPX_ERR_CAPABILITY_INVALID_ID', async (t) => {
  const { app, ensured } = await api(t, echo);
  for (const url of ['/v1/jobs/BYOC/echo', '/v1/jobs/byoc/Echo', '/v1/jobs/1byoc/echo']) {
    const res = await app.inject({ method: 'POST', url, payload: {} });
    t.equal(res.statusCode, 400, url);
    t.match(res.headers['content-type'], /application\/problem\+json/);
    t.match(res.json(), { status: 400, code: errors.capability.INVALID_ID.code });
  }
  const get = await app.inject({ method: 'GET', url: '/v1/jobs/BYOC/echo/1' });
  t.equal(get.statusCode, 400);
  t.equal(get.json<{ code: string }>().code, errors.capability.INVALID_ID.code);
  t.same(ensured, [], 'no router for an invalid id');
});

t.test('a bad webhook URL is a 400 and no job is queued', async (t) => {
  const { app, ensured } = await api(t, echo);
  for (const hook of ['not a url', 'ftp://hooks.example/x', 'javascript:alert(1)']) {
    const res = await app.inject({ method: 'POST', url: `/v1/jobs/byoc/echo?webhook=${encodeURIComponent(hook)}`, payload: {} });
    t.equal(res.statusCode, 400, hook);
    t.match(res.json(), { code: errors.gateway.WEBHOOK_INVALID_URL.code, detail: /webhook/ });
  }
  const viaHeader = await app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo', headers: { 'lpx-webhook': 'nope' }, payload: {} });
  t.equal(viaHeader.statusCode, 400);
  t.same(ensured, []);
});

t.test('by default a webhook to loopback, private, link-local or a numeric trick is a coded 400 and no job is queued', async (t) => {
  // No policy wired: the API's refusing default.
  const { app, ensured, seen } = await api(t, echo, 1, { webhookPolicy: undefined });
  for (const hook of ['http://127.0.0.1:8080/hook', 'http://10.0.0.1/hook', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:8080/hook', 'http://2130706433/', 'http://0x7f.1/', 'http://localhost:8080/hook']) {
    const res = await app.inject({ method: 'POST', url: `/v1/jobs/byoc/echo?async=true&webhook=${encodeURIComponent(hook)}`, payload: {} });
    t.equal(res.statusCode, 400, hook);
    t.match(res.headers['content-type'], /application\/problem\+json/);
    t.match(res.json(), { code: errors.gateway.WEBHOOK_DESTINATION_REFUSED.code, detail: /loopback|private|link-local/ }, hook);
  }
  t.same(ensured, [], 'nothing was queued');
  t.same(seen, []);
});

t.test('a webhook to loopback is accepted when the operator allows the range', async (t) => {
  const { app, seen } = await api(t, echo, 1, { webhookPolicy: new WebhookEgressPolicy({ allowCidrs: ['127.0.0.0/8'] }) });
  const res = await app.inject({ method: 'POST', url: `/v1/jobs/byoc/echo?webhook=${encodeURIComponent('http://127.0.0.1:8080/hook')}`, payload: {} });
  t.equal(res.statusCode, 200);
  t.same(seen.map((d) => d.webhook), ['http://127.0.0.1:8080/hook']);
});

t.test('a bad or too large timeoutMs is a 400', async (t) => {
  const { app } = await api(t, echo);
  // 2^31 ms and above would overflow setTimeout into an instant 504; they are refused instead.
  for (const value of ['0', '-5', 'abc', '1.5', '2147483648', '99999999999', '1e3']) {
    const res = await app.inject({ method: 'POST', url: `/v1/jobs/byoc/echo?timeoutMs=${value}`, payload: {} });
    t.equal(res.statusCode, 400, value);
    t.equal(res.json<{ code: string }>().code, errors.http.BAD_REQUEST.code);
  }
});

t.test('an unknown job id is a 404 with LPX_ERR_JOBS_NOT_FOUND', async (t) => {
  const { app } = await api(t, echo);
  const res = await app.inject({ method: 'GET', url: '/v1/jobs/byoc/echo/no-such-job' });
  t.equal(res.statusCode, 404);
  t.match(res.headers['content-type'], /application\/problem\+json/);
  t.match(res.json(), { status: 404, code: errors.jobs.NOT_FOUND.code, detail: /no-such-job/ });
});

t.test('a processor that throws: sync POST is a 502 problem with LPX_ERR_JOBS_FAILED', async (t) => {
  const { app } = await api(t, async () => {
    throw new Error('no orchestrator completed byoc/echo');
  });
  const res = await app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo', payload: {} });
  t.equal(res.statusCode, 502);
  t.match(res.headers['content-type'], /application\/problem\+json/);
  t.match(res.json(), { status: 502, title: 'Bad Gateway', code: errors.jobs.FAILED.code, detail: /no orchestrator completed byoc\/echo/ });
});

t.test('a processor that throws: an async job ends failed with the reason', async (t) => {
  const { app } = await api(t, async () => {
    throw new Error('every orchestrator refused');
  });
  const res = await app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo?async=true', payload: {} });
  t.equal(res.statusCode, 202);
  const { id } = res.json<{ id: string }>();
  const status = await until(
    async () => (await app.inject({ method: 'GET', url: `/v1/jobs/byoc/echo/${id}` })).json<{ state: string; finishedAt?: number }>(),
    (s) => s.state === 'completed' || s.state === 'failed',
  );
  t.match(status, { state: 'failed', failedReason: 'every orchestrator refused', attemptsMade: 1 });
});

t.test('a slow job: sync POST with ?timeoutMs is a 504 with LPX_ERR_JOBS_TIMEOUT', async (t) => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  t.teardown(() => release());
  const { app } = await api(t, async () => {
    await gate;
    return { output: 'late', orchestrator: 'https://o', tried: 1 };
  });
  const res = await app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo?timeoutMs=200', payload: {} });
  t.equal(res.statusCode, 504);
  t.equal(res.json<{ code: string }>().code, errors.jobs.TIMEOUT.code);
  release();
});
