// The gateway's BYOC job path end to end on real parts (ADR 0049): the
// /v1/jobs API, durable route jobs on a real Redis, the router worker with
// the real job sender, and real lpx BYOC routes as the orchestrator (an app
// answering `text/event-stream`, JSON, its own 4xx, or a coded input
// refusal). Two plain node HTTP servers stand in for orchestrators that die
// mid-answer (a boundary we cannot make an lpx orchestrator cross on
// purpose): one after the first event line, one before any.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { request } from 'undici';
import { errors } from '@lpx/sdk';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { JobsKernel } from '../../src/jobs/index.js';
import { installProblemJson } from '../../src/http/problem-json.js';
import { registerJobRoutes } from '../../src/network/byoc/index.js';
import type { PoolEntry } from '../../src/gateway/pool/pool-options.js';
import { registerGatewayApi, type GatewayApiDeps } from '../../src/roles/gateway/gateway-api.js';
import { registerProcessRequestRoute } from '../../src/roles/gateway/process-request-route.js';
import { createJobSender } from '../../src/roles/gateway/job-sender.js';
import type { RouteJobData, RouteJobResult } from '../../src/roles/gateway/route-job.js';
import { routerProcessor } from '../../src/roles/gateway/router-processor.js';
import { TenantBudgets } from '../../src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../src/roles/gateway/tenants/tenant-directory.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

/** Resolves when opened: the app waits on it, so what follows can only come after the client saw the first line. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const firstSeen = gate();
const dispatched: string[] = [];
const inputs: { subpath: string; request: string; parameters: string; body: string; timeoutMs: number }[] = [];

/** A real lpx orchestrator's BYOC routes (free: no payments) whose app answers by the body's `mode`. */
async function lpxOrchestrator(): Promise<{ uri: string; app: FastifyInstance }> {
  const app = Fastify();
  // What a go-livepeer orchestrator copies from its worker's answer; lpx's BYOC routes do not set it.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-metadata', '{"app":"meta"}');
  });
  registerJobRoutes(app, {
    priceFor: () => ({ pricePerUnit: 0n, pixelsPerUnit: 1n }),
    admit: () => ({}),
    release: () => {},
    availableCapacity: () => 1,
    validate: async (_capability, input) => {
      const mode = (JSON.parse(input.body.toString('utf8')) as { mode?: string }).mode;
      if (mode === 'invalid') throw errors.byoc.INPUT_INVALID.create('app echo: /text must be string');
    },
    dispatch: async (input) => {
      const mode = (JSON.parse(input.body.toString('utf8')) as { mode: string }).mode;
      dispatched.push(mode);
      inputs.push({ subpath: input.subpath, request: input.request, parameters: input.parameters, body: input.body.toString('utf8'), timeoutMs: input.timeoutMs });
      if (mode === 'json') return { contentType: 'application/json', body: JSON.stringify({ whole: true }) };
      if (mode === 'app-4xx') return { status: 422, contentType: 'text/plain', body: 'prompt missing' };
      async function* lines(): AsyncGenerator<string> {
        yield 'data: one';
        yield '';
        await firstSeen.promise;
        yield 'event: note';
        yield 'data: two';
        yield '';
      }
      return { status: 200, contentType: 'text/event-stream', body: '', lines: lines() };
    },
    serviceAddr: () => '',
    now: () => Date.now(),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  return { uri: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, app };
}

/** Not an lpx orchestrator: answers 200 text/event-stream, then drops the connection after `lines` lines. */
async function dyingOrchestrator(lines: string[]): Promise<{ uri: string; asked: () => number }> {
  let asked = 0;
  const server: Server = createServer((req, res) => {
    asked++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      for (const line of lines) res.write(`${line}\n`);
      setTimeout(() => res.socket?.destroy(), 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return { uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked: () => asked };
}

const good = await lpxOrchestrator();
const diesAfterLine = await dyingOrchestrator(['data: partial', '']);
const diesBeforeLine = await dyingOrchestrator([]);

/** The gateway: API and router worker over one real JobsKernel; orchestrators are picked in `order`. */
async function gateway(order: string[]) {
  const node = uniquePrefix('gw-byoc-stream');
  const routes = new JobsKernel({ connection, prefix: `${node}:route` });
  const sender = createJobSender({ account: privateKeyToAccount(generatePrivateKey()), chain: undefined, requestTimeoutMs: 10_000, logger: pino({ level: 'silent' }) });
  const suspended: string[] = [];
  const processor = routerProcessor({
    maxOrchestratorAttempts: 3,
    pick: async (capabilityId, exclude) => {
      const uri = order.find((u) => !exclude.has(u));
      if (uri === undefined) throw errors.gateway.NO_ORCHESTRATORS.create(`none left for ${capabilityId}`);
      return { uri };
    },
    send: (target, job) => sender.send(target as PoolEntry, job),
    suspend: (uri) => void suspended.push(uri),
    refresh: async () => {},
  });
  const app = Fastify();
  installProblemJson(app);
  const served = new Set<string>();
  const apiDeps: GatewayApiDeps = {
    routes,
    tenants: new TenantDirectory({}),
    budgets: new TenantBudgets(connection, node),
    capabilities: { knownNow: () => true, knows: async () => true },
    jobAttempts: 2,
    syncTimeoutMs: 20_000,
    ensureRouter: (capabilityId) => {
      if (served.has(capabilityId)) return;
      served.add(capabilityId);
      routes.registerProcessor<RouteJobData, RouteJobResult>(capabilityId, processor);
    },
  };
  registerGatewayApi(app, apiDeps);
  registerProcessRequestRoute(app, apiDeps);
  routes.start();
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(async () => {
    await app.close();
    await routes.close();
    sender.close();
  });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { base, suspended };
}

async function post(base: string, body: unknown, onLine: (line: string) => void = () => undefined, query = '') {
  const res = await request(`${base}/v1/jobs/byoc/echo${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const lines: string[] = [];
  let partial = '';
  for await (const chunk of res.body) {
    partial += (chunk as Buffer).toString('utf8');
    let end: number;
    while ((end = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, end);
      partial = partial.slice(end + 1);
      lines.push(line);
      onLine(line);
    }
  }
  return { status: res.statusCode, headers: res.headers, lines, text: lines.join('\n') + partial };
}

async function finished(base: string, id: string): Promise<Record<string, unknown>> {
  for (;;) {
    const res = await request(`${base}/v1/jobs/byoc/echo/${id}`);
    const status = (await res.body.json()) as Record<string, unknown>;
    if (status['state'] === 'completed' || status['state'] === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

t.test('a synchronous caller gets the event stream line by line as it comes, with go-livepeer\'s gateway headers', async (t) => {
  const { base } = await gateway([good.uri]);
  const answer = await post(base, { mode: 'sse' }, (line) => {
    if (line === 'data: one') firstSeen.open();
  });
  t.equal(answer.status, 200);
  t.match(answer.headers['content-type'], /text\/event-stream/);
  t.equal(answer.headers['lpx-orchestrator'], good.uri);
  t.equal(answer.headers['x-orchestrator-url'], good.uri, 'X-Orchestrator-Url as go-livepeer\'s gateway sets it');
  t.equal(answer.headers['livepeer-balance'], '0', "the orchestrator's Livepeer-Payment-Balance, as Livepeer-Balance");
  t.same(answer.lines, ['data: one', '', 'event: note', 'data: two', '', 'data: {"balance": 0.000}', '', 'data: [DONE]', ''], "the app's lines, then the orchestrator's balance event and [DONE]");
});

t.test('an async caller finds the collected events in the stored result', async (t) => {
  const { base } = await gateway([good.uri]);
  const accepted = await post(base, { mode: 'sse' }, () => undefined, '?async=true');
  t.equal(accepted.status, 202);
  const { id } = JSON.parse(accepted.text) as { id: string };
  const status = await finished(base, id);
  t.match(status, {
    state: 'completed',
    result: {
      orchestrator: good.uri,
      headers: { 'x-orchestrator-url': good.uri },
      output: { contentType: 'text/event-stream', done: true, events: [{ data: 'one' }, { event: 'note', data: 'two' }, { data: '{"balance": 0.000}' }, { data: '[DONE]' }] },
    },
  });
});

t.test('a whole answer keeps its body and gets Livepeer-Balance, X-Metadata and X-Orchestrator-Url', async (t) => {
  const { base } = await gateway([good.uri]);
  const answer = await post(base, { mode: 'json' });
  t.equal(answer.status, 200);
  t.same(JSON.parse(answer.text), { whole: true });
  t.equal(answer.headers['livepeer-balance'], '0');
  t.equal(answer.headers['x-metadata'], '{"app":"meta"}');
  t.equal(answer.headers['x-orchestrator-url'], good.uri);
  t.equal(answer.headers['lpx-orchestrator'], good.uri);
});

t.test("a coded input refusal reaches the caller as that 400 with its code; the async status says the same", async (t) => {
  const { base, suspended } = await gateway([good.uri, diesBeforeLine.uri]);
  const before = diesBeforeLine.asked();
  const answer = await post(base, { mode: 'invalid' });
  t.equal(answer.status, 400);
  t.match(answer.headers['content-type'], /application\/problem\+json/);
  t.match(JSON.parse(answer.text), { status: 400, code: errors.byoc.INPUT_INVALID.code, detail: 'app echo: /text must be string' });
  t.equal(diesBeforeLine.asked(), before, 'no other orchestrator was asked');
  t.same(suspended, [], 'the orchestrator is not blamed');

  const accepted = await post(base, { mode: 'invalid' }, () => undefined, '?async=true');
  const { id } = JSON.parse(accepted.text) as { id: string };
  const status = await finished(base, id);
  t.match(status, { state: 'failed', attemptsMade: 1, error: { code: errors.byoc.INPUT_INVALID.code, status: 400, detail: 'app echo: /text must be string' } }, 'one attempt: BullMQ did not retry it');
});

t.test("the app's own 4xx (no lpx code) reaches the caller with its status and text", async (t) => {
  const { base } = await gateway([good.uri, diesBeforeLine.uri]);
  const before = diesBeforeLine.asked();
  const answer = await post(base, { mode: 'app-4xx' });
  t.equal(answer.status, 422);
  t.match(JSON.parse(answer.text), { status: 422, code: errors.gateway.REQUEST_REFUSED.code, detail: 'prompt missing' });
  t.equal(diesBeforeLine.asked(), before, 'no failover for a request the app refused');
});

t.test('an orchestrator that dies before the first line is replaced; the caller never knew', async (t) => {
  const { base, suspended } = await gateway([diesBeforeLine.uri, good.uri]);
  const answer = await post(base, { mode: 'json' });
  t.equal(answer.status, 200);
  t.same(JSON.parse(answer.text), { whole: true });
  t.equal(answer.headers['lpx-orchestrator'], good.uri);
  t.same(suspended, [diesBeforeLine.uri]);
});

t.test('an orchestrator that dies after the first line reached the caller is not replaced: the answer just ends', async (t) => {
  const { base, suspended } = await gateway([diesAfterLine.uri, good.uri]);
  const dispatchedBefore = dispatched.length;
  const answer = await post(base, { mode: 'sse' });
  t.equal(answer.status, 200);
  t.equal(answer.headers['lpx-orchestrator'], diesAfterLine.uri);
  t.same(answer.lines, ['data: partial', ''], 'what it sent, and no [DONE]');
  t.equal(dispatched.length, dispatchedBefore, 'the other orchestrator was not asked: its answer would be spliced onto the first');
  t.same(suspended, [diesAfterLine.uri]);
});

/** A go-livepeer BYOC client: POST /process/request/<path> to the gateway with an unsigned Livepeer header. */
async function goClient(base: string, path: string, job: Record<string, unknown>, body: unknown) {
  const header = Buffer.from(JSON.stringify(job)).toString('base64');
  const res = await request(`${base}/process/request/${path}`, { method: 'POST', headers: { livepeer: header, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

t.test("a go-livepeer BYOC client's /process/request/<path> becomes the same route job, with its path, strings, timeout and exclude list", async (t) => {
  const { base } = await gateway([diesBeforeLine.uri, good.uri]);
  const before = diesBeforeLine.asked();
  const parameters = JSON.stringify({ orchestrators: { exclude: [diesBeforeLine.uri] } });
  const answer = await goClient(base, 'run/fast', { id: 'client-1', capability: 'echo', request: '{"stream_id":"s1"}', parameters, timeout_seconds: 7 }, { mode: 'json' });
  t.equal(answer.status, 200, answer.text);
  t.same(JSON.parse(answer.text), { whole: true });
  t.match(answer.headers['content-type'], /application\/json/);
  t.equal(answer.headers['x-orchestrator-url'], good.uri);
  t.equal(answer.headers['livepeer-balance'], '0');
  t.equal(answer.headers['x-metadata'], '{"app":"meta"}');
  t.equal(diesBeforeLine.asked(), before, 'the excluded orchestrator was never asked');
  t.match(inputs.at(-1), { subpath: 'run/fast', request: '{"stream_id":"s1"}', parameters, body: '{"mode":"json"}', timeoutMs: 7_000 }, "the client's path, strings, body and timeout reached the orchestrator");

  const streamed = await goClient(base, 'run', { capability: 'echo', request: '{}', parameters: '{}', timeout_seconds: 5 }, { mode: 'sse' });
  t.equal(streamed.status, 200);
  t.match(streamed.headers['content-type'], /text\/event-stream/);
  t.match(streamed.text, /data: one\n\nevent: note\ndata: two\n\ndata: \{"balance": 0\.000\}\n\ndata: \[DONE\]\n\n$/);
});

t.test('the go-livepeer client route refuses a request without timeout_seconds or with a bad header, before anything is queued', async (t) => {
  const { base } = await gateway([good.uri]);
  const count = dispatched.length;
  const noTimeout = await goClient(base, 'run', { capability: 'echo', request: '{}', parameters: '{}' }, { mode: 'json' });
  t.equal(noTimeout.status, 400);
  t.match(JSON.parse(noTimeout.text), { code: errors.orchestrator.JOB_REQUEST_NO_TIMEOUT.code });
  const res = await request(`${base}/process/request/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  t.equal(res.statusCode, 400);
  t.match(await res.body.json(), { code: errors.orchestrator.JOB_REQUEST_MISSING.code });
  // The strings are checked as JSON, also after valid ones were seen (and remembered) on earlier jobs.
  for (const [request, parameters] of [['{"stream_id":', '{}'], ['{}', 'not json']]) {
    const malformed = await goClient(base, 'run', { capability: 'echo', request, parameters, timeout_seconds: 5 }, { mode: 'json' });
    t.equal(malformed.status, 400, `request ${request} with parameters ${parameters}`);
    t.match(JSON.parse(malformed.text), { code: errors.orchestrator.JOB_REQUEST_MALFORMED.code });
  }
  t.equal(dispatched.length, count, 'nothing ran');
});
