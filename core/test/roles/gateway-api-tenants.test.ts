// The gateway API's clients (ADR 0017): bearer keys of configured tenants,
// allowed capabilities, budgets and job visibility. Every refusal must happen
// before anything is queued: no route job, no queue keys, no router worker.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { errors } from '@lpx/sdk';
import type { TenantConfig } from '../../src/config/kernel-schema.js';
import { installProblemJson } from '../../src/http/problem-json.js';
import { JobsKernel } from '../../src/jobs/index.js';
import { registerGatewayApi } from '../../src/roles/gateway/gateway-api.js';
import type { RouteJobData, RouteJobResult } from '../../src/roles/gateway/route-job.js';
import { generateApiKey, hashApiKey } from '../../src/roles/gateway/tenants/api-keys.js';
import { knownCapabilities } from '../../src/roles/gateway/tenants/known-capabilities.js';
import { TenantBudgets } from '../../src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../src/roles/gateway/tenants/tenant-directory.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

const ALICE = generateApiKey();
const BOB = generateApiKey();
const TENANTS: Record<string, TenantConfig> = {
  alice: { keys: [hashApiKey(ALICE)], capabilities: ['byoc/*'], budget: { spendPerPeriod: '1000', periodSeconds: 3600 } },
  bob: { keys: [hashApiKey(BOB)], capabilities: ['byoc/echo'] },
};
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function keysUnder(prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

async function clientCount(): Promise<number> {
  const list = await connection.client('LIST');
  return String(list).trim().split('\n').length;
}

async function gateway(tt: { teardown(fn: () => unknown): void }) {
  const node = uniquePrefix('gw-tenants');
  const routes = new JobsKernel({ connection, prefix: `${node}:route` });
  const app: FastifyInstance = Fastify({ logger: false });
  installProblemJson(app);
  const ensured: string[] = [];
  const seen: RouteJobData[] = [];
  const served = new Set<string>();
  const tenants = new TenantDirectory(TENANTS);
  const budgets = new TenantBudgets(connection, node);
  registerGatewayApi(app, {
    routes,
    tenants,
    budgets,
    capabilities: knownCapabilities({ configured: ['byoc/echo', 'byoc/other', 'video/x'], offered: () => false, firstDiscovery: async () => {} }),
    jobAttempts: 1,
    syncTimeoutMs: 10_000,
    ensureRouter: (capabilityId) => {
      ensured.push(capabilityId);
      if (served.has(capabilityId)) return;
      served.add(capabilityId);
      routes.registerProcessor<RouteJobData, RouteJobResult>(capabilityId, async (job) => {
        seen.push(job.data);
        return { output: { echoed: job.data.input }, orchestrator: 'https://o', tried: 1 };
      });
    },
  });
  routes.start();
  await app.ready();
  tt.teardown(async () => {
    await app.close();
    await routes.close();
  });
  return { app, node, ensured, seen, tenants, budgets };
}

async function finished(app: FastifyInstance, url: string, key: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await app.inject({ method: 'GET', url, headers: auth(key) });
    const body = res.json<{ state?: string }>();
    if (res.statusCode === 200 && (body.state === 'completed' || body.state === 'failed')) return body;
    if (Date.now() > deadline) throw new Error(`job at ${url} did not finish: ${res.statusCode} ${res.body}`);
    await sleep(25);
  }
}

t.test('no key, a malformed header or an unknown key: 401 coded, nothing queued', async (t) => {
  const g = await gateway(t);
  const cases: Array<[Record<string, string>, string]> = [
    [{}, errors.gateway.API_KEY_REQUIRED.code],
    [{ authorization: `Basic ${Buffer.from('alice:x').toString('base64')}` }, errors.gateway.API_KEY_REQUIRED.code],
    [{ authorization: 'Bearer' }, errors.gateway.API_KEY_REQUIRED.code],
    [auth(generateApiKey()), errors.gateway.API_KEY_INVALID.code],
    [auth(hashApiKey(ALICE)), errors.gateway.API_KEY_INVALID.code], // the stored hash is not a key
    [auth(`${ALICE}x`), errors.gateway.API_KEY_INVALID.code],
  ];
  for (const [headers, code] of cases) {
    for (const [method, url] of [['POST', '/v1/jobs/byoc/echo'], ['POST', '/v1/jobs/byoc/echo?async=true'], ['GET', '/v1/jobs/byoc/echo/some-id']] as const) {
      const res = await g.app.inject({ method, url, headers, ...(method === 'POST' ? { payload: { n: 1 } } : {}) });
      t.equal(res.statusCode, 401, `${method} ${url} ${JSON.stringify(headers)}`);
      t.match(res.headers['content-type'], /application\/problem\+json/);
      t.equal(res.json<{ code: string }>().code, code);
      t.match(res.headers['www-authenticate'], /^Bearer/);
    }
  }
  t.same(g.ensured, [], 'no router was asked for');
  t.same(await keysUnder(g.node), [], 'no queue or job keys in Redis');
});

t.test('a key authenticates its tenant; the route job records the tenant', async (t) => {
  const g = await gateway(t);
  const res = await g.app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo', headers: { authorization: `bearer   ${BOB}` }, payload: { hi: 1 } });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json(), { echoed: { hi: 1 } });
  t.same(g.seen, [{ capabilityId: 'byoc/echo', input: { hi: 1 }, tenant: 'bob', relay: true }]);
});

t.test("a capability outside the tenant's list: 403 coded, nothing queued", async (t) => {
  const g = await gateway(t);
  for (const url of ['/v1/jobs/byoc/other', '/v1/jobs/byoc/other?async=true', '/v1/jobs/video/x']) {
    const res = await g.app.inject({ method: 'POST', url, headers: auth(BOB), payload: {} });
    t.equal(res.statusCode, 403, url);
    t.equal(res.json<{ code: string }>().code, errors.gateway.CAPABILITY_NOT_ALLOWED.code);
  }
  const glob = await g.app.inject({ method: 'POST', url: '/v1/jobs/video/x', headers: auth(ALICE), payload: {} });
  t.equal(glob.statusCode, 403, "alice's byoc/* does not cover video/x");
  t.same(g.ensured, []);
  t.same(await keysUnder(g.node), []);
});

t.test('an unknown capability: 404 coded, no queue, no worker, no Redis keys or connections', async (t) => {
  const g = await gateway(t);
  const before = await clientCount();
  for (let i = 0; i < 50; i++) {
    const res = await g.app.inject({ method: 'POST', url: `/v1/jobs/byoc/junk-${i}?async=true`, headers: auth(ALICE), payload: {} });
    t.equal(res.statusCode, 404);
    t.equal(res.json<{ code: string }>().code, errors.gateway.UNKNOWN_CAPABILITY.code);
  }
  const get = await g.app.inject({ method: 'GET', url: '/v1/jobs/byoc/junk-0/abc', headers: auth(ALICE) });
  t.equal(get.statusCode, 404);
  t.equal(get.json<{ code: string }>().code, errors.jobs.NOT_FOUND.code, 'GET answers as for any missing job');
  t.same(g.ensured, [], 'no router for any of them');
  t.same(await keysUnder(g.node), [], 'no Redis keys');
  t.equal(await clientCount(), before, 'no new Redis connections (a BullMQ worker would open one)');
});

t.test("another tenant's job id answers exactly as an unknown id", async (t) => {
  const g = await gateway(t);
  const res = await g.app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo?async=true', headers: auth(ALICE), payload: { secret: 1 } });
  t.equal(res.statusCode, 202);
  const { id, status } = res.json<{ id: string; status: string }>();
  const own = await finished(g.app, status, ALICE);
  t.match(own, { id, state: 'completed', result: { output: { echoed: { secret: 1 } } } });

  const foreign = await g.app.inject({ method: 'GET', url: status, headers: auth(BOB) });
  const missing = await g.app.inject({ method: 'GET', url: `/v1/jobs/byoc/echo/${id.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`, headers: auth(BOB) });
  t.equal(foreign.statusCode, 404);
  t.equal(missing.statusCode, 404);
  const strip = (body: Record<string, unknown>, jobId: string) => ({ ...body, detail: String(body.detail).replace(jobId, '<id>'), instance: undefined });
  t.same(strip(foreign.json(), id), strip(missing.json(), missing.json<{ instance: string }>().instance.split('/').pop()!), 'same status, code and wording');
  t.equal(foreign.json<{ code: string }>().code, errors.jobs.NOT_FOUND.code);
  t.notMatch(foreign.body, /secret|completed/, 'nothing of the job leaks');
});

t.test('async job ids are random, not BullMQ counters', async (t) => {
  const g = await gateway(t);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await g.app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo?async=true', headers: auth(ALICE), payload: { i } });
    t.equal(res.statusCode, 202);
    ids.push(res.json<{ id: string }>().id);
  }
  for (const id of ids) t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, `${id} is a v4 uuid (122 random bits)`);
  t.equal(new Set(ids).size, ids.length);
  t.notOk(ids.some((id) => /^\d+$/.test(id)), 'no integer ids');
});

t.test('a tenant over its budget: 402 coded with retry-after, before any route job exists', async (t) => {
  const g = await gateway(t);
  const alice = g.tenants.get('alice')!;
  await g.budgets.reserve(alice, 1000n); // the whole period's budget, spent
  for (const url of ['/v1/jobs/byoc/echo', '/v1/jobs/byoc/echo?async=true']) {
    const res = await g.app.inject({ method: 'POST', url, headers: auth(ALICE), payload: {} });
    t.equal(res.statusCode, 402, url);
    t.match(res.json(), { code: errors.gateway.BUDGET_EXHAUSTED.code, title: 'Payment Required', detail: /alice has spent 1000 of its 1000 wei/ });
    const after = Number(res.headers['retry-after']);
    t.ok(Number.isInteger(after) && after > 0 && after <= 3600, `retry-after ${after} is within the hour period`);
  }
  t.same(g.ensured, [], 'no router');
  t.same(await keysUnder(`${g.node}:route`), [], 'no route job or queue');
  const bob = await g.app.inject({ method: 'POST', url: '/v1/jobs/byoc/echo', headers: auth(BOB), payload: {} });
  t.equal(bob.statusCode, 200, "another tenant's budget is its own (bob has none)");
});
