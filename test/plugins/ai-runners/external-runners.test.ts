import t from 'tap';
import { errors, type AIModelOffer } from '@lpx/sdk';
import { RunnersExecutor, resolveRunnersConfig } from '@lpx/plugin-ai-runners';
import { jsonPipeline, requestFor, startRunnerPeer } from '../../../plugins/ai-runners/test/runner-peer.js';
import { kernelServices } from './containers-probe.js';

const fast = { pollMs: 20, healthMs: 500, watchIntervalMs: 100, externalStartMs: 2_000 };

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

t.test('external runners (aiModels url + token) on a node without a container runtime', async (t) => {
  const kernel = await kernelServices(t, { docker: false });
  const peer = await startRunnerPeer(t, 'tok');
  peer.version = '0.13.5';
  const config = resolveRunnersConfig({ aiModels: [{ pipeline: 'llm', model_id: 'm', url: `${peer.url}/`, token: 'tok', capacity: 2, price_per_unit: '0.5', pixels_per_unit: 1 }], timeouts: { ...fast, requestMs: 400 } }, kernel.dataDir);
  const executor = new RunnersExecutor({ config, containers: kernel.containers, builtInImage: () => Promise.reject(new Error('unused')), nodeTag: 'ext', logger: kernel.logger, metrics: kernel.metrics });
  const seen: (readonly AIModelOffer[])[] = [];
  executor.watch((offers) => seen.push(offers));
  t.teardown(() => executor.close());
  t.same(executor.offers().map((o) => o.capacity), [0], 'nothing offered before the runner answered');
  executor.start();
  await executor.warmed();
  t.same(executor.offers(), [{ pipeline: 'llm', modelId: 'm', capacity: 2, warm: false, price: { pricePerUnit: '1', pixelsPerUnit: '2' }, runnerVersion: '0.13.5' }], 'configured capacity, exact price, runner version');
  t.ok(seen.length >= 1, 'watchers heard the offer move');

  const pipeline = jsonPipeline('llm');
  const run = (signal = new AbortController().signal) => executor.execute({ requestId: 'r', pipeline, request: requestFor('llm', 'm', { messages: [] }), signal });
  const result = await run();
  t.same(result, { kind: 'json', json: { ok: true, path: '/llm' }, files: [] }, 'the request ran on the external runner');
  t.equal(peer.seen.at(-1)?.authorization, 'Bearer tok', 'with the Bearer token');

  await t.rejects(executor.execute({ requestId: 'x', pipeline, request: requestFor('llm', 'other'), signal: new AbortController().signal }), { code: errors.ai.MODEL_UNKNOWN.code });

  // Two at once fit (capacity 2), a third does not: external runners are never lent exclusively but have a ceiling.
  const held: (() => void)[] = [];
  peer.onRequest = (_req, _body, res) => held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"held":true}'));
  const a = run();
  const b = run();
  await until(() => held.length === 2, 'two requests on the runner');
  await t.rejects(run(), { code: errors.ai.NO_CAPACITY.code }, 'a third one: insufficient capacity');
  held.forEach((release) => release());
  t.same((await a).kind, 'json');
  t.same((await b).kind, 'json');

  // The caller goes away: CANCELLED, and the runner slot is free again.
  held.length = 0;
  const caller = new AbortController();
  const cancelled = run(caller.signal);
  await until(() => held.length === 1, 'the request on the runner');
  caller.abort();
  await t.rejects(cancelled, { code: errors.ai.CANCELLED.code });

  // The runner hangs: RUNNER_TIMEOUT after requestMs.
  await t.rejects(run(), { code: errors.ai.RUNNER_TIMEOUT.code }, 'no answer within requestMs');

  // The runner answers 500: RUNNER_FAILED; it still answers /health so it stays offered.
  peer.onRequest = (_req, _body, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"detail":{"msg":"boom"}}');
  await t.rejects(run(), { code: errors.ai.RUNNER_FAILED.code, message: /boom/ });
  t.equal(executor.offers()[0]!.capacity, 2);

  // The runner goes away: no longer offered, then offered again when it answers.
  peer.status = 'down';
  await until(() => executor.offers()[0]!.capacity === 0, 'capacity 0 while the runner is down');
  await t.rejects(run(), { code: errors.ai.NO_CAPACITY.code }, 'not tried while down');
  peer.status = 'IDLE';
  await until(() => executor.offers()[0]!.capacity === 2, 'capacity back');
  t.equal(held.length, 2, 'the cancelled and the timed-out requests were the ones held');
  held.forEach((release) => release());
});

t.test('a node without a container runtime: managed models offer nothing and say why when asked', async (t) => {
  const kernel = await kernelServices(t, { docker: false });
  const config = resolveRunnersConfig({ aiModels: 'llm:cold-model:false', timeouts: fast }, kernel.dataDir);
  const executor = new RunnersExecutor({ config, containers: kernel.containers, builtInImage: (c) => c.inspectImage('none').then(() => Promise.reject(new Error('unreachable'))), nodeTag: 'none', logger: kernel.logger });
  t.teardown(() => executor.close());
  executor.start();
  await executor.warmed();
  t.same(executor.offers().map((o) => [o.modelId, o.capacity]), [['cold-model', 0]]);
  await t.rejects(executor.execute({ requestId: 'r', pipeline: jsonPipeline('llm'), request: requestFor('llm', 'cold-model'), signal: new AbortController().signal }), { code: errors.ai.NO_CAPACITY.code, message: /no runner image/ });
});
