import t, { type Test } from 'tap';
import { discoveryStrategySuite, runConformanceSuite } from '@lpx/sdk/testing';
import { WebhookDiscoveryStrategy } from '../src/index.js';
import { captureLogger, startWebhookServer } from './webhook-server.js';

const GOOD = JSON.stringify([
  { address: 'https://o1.example:8935', score: 0.5 },
  { address: 'https://o2.example:8936' },
  { address: '', score: 1 },
  { address: 'o3.example:8935', score: 1 },
  { address: 'https://o1.example:8935/', score: 0.9 },
  null,
  { address: 'https://o4.example:8935', score: 1, extra: 'ignored' },
]);

async function setup(t: Test, options: { refreshMs?: number; timeoutMs?: number } = {}) {
  const server = await startWebhookServer(t);
  const { lines, logger } = captureLogger();
  let clock = 0;
  const strategy = new WebhookDiscoveryStrategy({ url: server.url, refreshMs: options.refreshMs ?? 60_000, timeoutMs: options.timeoutMs ?? 3000, headers: { 'x-api-key': 'k' }, logger, now: () => clock });
  t.teardown(() => strategy.close());
  return { server, lines, strategy, advance: (ms: number) => void (clock += ms) };
}
const signal = () => new AbortController().signal;

t.test('parses go-livepeer webhook JSON: score defaults to 0, bad and empty addresses skipped, duplicates collapse', async (t) => {
  const { server, strategy, lines } = await setup(t);
  server.answer({ body: GOOD });
  t.same(await strategy.discover(signal()), [
    { uri: 'https://o1.example:8935', score: 0.5 },
    { uri: 'https://o2.example:8936', score: 0 },
    { uri: 'https://o4.example:8935', score: 1 },
  ]);
  t.match(lines, [{ level: 'error', bindings: { code: 'LPX_ERR_DISCOVERY_INVALID_ADDRESS', address: 'o3.example:8935' } }]);
  t.equal(server.requests[0]?.['x-api-key'], 'k', 'configured headers are sent');
});

t.test('answers are cached for refreshMs, then refreshed on the next call', async (t) => {
  const { server, strategy, advance } = await setup(t, { refreshMs: 60_000 });
  server.answer({ body: JSON.stringify([{ address: 'https://a.example:1', score: 1 }]) });
  await strategy.discover(signal());
  advance(59_999);
  server.answer({ body: JSON.stringify([{ address: 'https://b.example:1', score: 1 }]) });
  t.same((await strategy.discover(signal())).map((c) => c.uri), ['https://a.example:1'], 'still cached');
  t.equal(server.requests.length, 1);
  advance(1);
  t.same((await strategy.discover(signal())).map((c) => c.uri), ['https://b.example:1'], 'refreshed after the interval');
  t.equal(server.requests.length, 2);
});

t.test('concurrent callers share one request', async (t) => {
  const { server, strategy } = await setup(t);
  server.answer({ body: GOOD, delayMs: 20 });
  const [a, b] = await Promise.all([strategy.discover(signal()), strategy.discover(signal())]);
  t.same(a, b);
  t.equal(server.requests.length, 1);
});

for (const [name, reply, code] of [
  ['non-200', { status: 500, body: 'oops' }, 'LPX_ERR_DISCOVERY_WEBHOOK_STATUS'],
  ['garbage JSON', { body: '{not json' }, 'LPX_ERR_DISCOVERY_WEBHOOK_BODY'],
  ['a JSON object instead of an array', { body: '{"address":"https://x.example:1"}' }, 'LPX_ERR_DISCOVERY_WEBHOOK_BODY'],
  ['a string score', { body: '[{"address":"https://x.example:1","score":"high"}]' }, 'LPX_ERR_DISCOVERY_WEBHOOK_BODY'],
  ['a timeout', { body: '[]', delayMs: 2000 }, 'LPX_ERR_DISCOVERY_WEBHOOK_UNREACHABLE'],
] as const) {
  t.test(`${name}: coded error logged, last good list kept, retried on the next call`, async (t) => {
    const { server, strategy, lines, advance } = await setup(t, { refreshMs: 1000, timeoutMs: 200 });
    server.answer({ body: GOOD });
    const good = await strategy.discover(signal());
    advance(1000);
    server.answer(reply);
    t.same(await strategy.discover(signal()), good, 'the last good list is served');
    t.match(lines.at(-1), { level: 'warn', bindings: { code, kept: 3 } });
    server.answer({ body: JSON.stringify([{ address: 'https://fresh.example:1', score: 1 }]) });
    t.same((await strategy.discover(signal())).map((c) => c.uri), ['https://fresh.example:1'], 'a failed refresh does not reset the cache age');
  });
}

t.test('no good list yet: the failure is reported with a code', async (t) => {
  const { server, strategy } = await setup(t);
  server.answer({ status: 503 });
  await t.rejects(strategy.discover(signal()), { code: 'LPX_ERR_DISCOVERY_NO_CANDIDATES', details: { cause: 'LPX_ERR_DISCOVERY_WEBHOOK_STATUS' }, message: /HTTP 503/ });
});

t.test('an unreachable webhook is a coded error', async (t) => {
  const { logger } = captureLogger();
  const strategy = new WebhookDiscoveryStrategy({ url: 'http://127.0.0.1:1/none', refreshMs: 1000, timeoutMs: 1000, logger });
  await t.rejects(strategy.discover(signal()), { code: 'LPX_ERR_DISCOVERY_NO_CANDIDATES', details: { cause: 'LPX_ERR_DISCOVERY_WEBHOOK_UNREACHABLE' } });
});

t.test('a caller that aborts stops waiting; close() aborts the request', async (t) => {
  const { server, strategy } = await setup(t);
  server.answer({ body: GOOD, delayMs: 2000 });
  const controller = new AbortController();
  const waiting = strategy.discover(controller.signal);
  controller.abort(new Error('caller gave up'));
  await t.rejects(waiting, { message: 'caller gave up' });
  const pending = strategy.refresh();
  strategy.close();
  await t.rejects(pending, { code: 'LPX_ERR_DISCOVERY_NO_CANDIDATES' });
});

t.test('passes the discovery conformance suite against a real webhook', async (t) => {
  const { server, strategy } = await setup(t);
  server.answer({ body: GOOD });
  const report = await runConformanceSuite(discoveryStrategySuite, () => strategy);
  t.same(report.failed, []);
});
