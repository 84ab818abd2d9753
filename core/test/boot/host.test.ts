import { connect } from 'node:net';
import t from 'tap';
import fp from 'fastify-plugin';
import { coreServices, definePlugin } from '@lpx/sdk';
import { findFreePort } from '../../src/redis/index.js';
import { makeHost } from '../../../test/helpers/host.js';
import { testManifest, trivialPlugin } from '../../../test/helpers/plugins.js';

const capability = { id: 'test/upper', version: 1, mode: 'request-response' as const, workUnit: 'request', priceUnit: 'wei/request', capacity: 2 };

const upperPlugin = definePlugin({
  manifest: testManifest('upper', { requires: { services: ['core.jobs', 'core.http', 'core.metrics'] }, capabilities: [capability] }),
  register(reg) {
    reg.registerInit({
      deps: { jobs: coreServices.jobs, http: coreServices.http, metrics: coreServices.metrics },
      init({ jobs, http, metrics }) {
        const calls = metrics.counter({ name: 'calls_total', help: 'calls' });
        jobs.registerProcessor<{ text: string }, string>('test/upper', async ({ data }) => {
          calls.inc();
          if (data.text === 'boom') throw new Error('processor exploded');
          return data.text.toUpperCase();
        });
        http.route({ method: 'POST', url: '/upper', handler: async (req) => ({ result: await jobs.submitAndWait('test/upper', req.body, { attempts: 1 }) }) });
      },
    });
  },
});

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

t.test('a node boots plugins with their own HTTP scope, health, readiness and metrics', async (t) => {
  const host = makeHost(t, [upperPlugin]);
  await host.start();
  t.equal(host.state, 'ready');
  const res = await host.http.inject({ method: 'POST', url: '/plugins/upper/upper', payload: { text: 'hi' } });
  t.same(res.json(), { result: 'HI' });
  t.equal((await host.http.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  const ready = await host.http.inject({ method: 'GET', url: '/readyz' });
  t.same(ready.json(), { status: 'ready', checks: { boot: 'ready', redis: 'ok' } });
  const metrics = (await host.http.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(metrics, /lpx_upper_calls_total 1/, 'plugin metric carries the plugin prefix');
  t.match(metrics, /lpx_process_resident_memory_bytes/);
  const missing = await host.http.inject({ method: 'GET', url: '/upper' });
  t.equal(missing.statusCode, 404, 'plugin routes are only under /plugins/<id>');
  t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(missing.json(), { status: 404, code: 'LPX_ERR_HTTP_NOT_FOUND' });
  t.same(host.capabilities.list().map((c) => c.id), ['test/upper']);
  t.ok(await portOpen(host.url!), 'listening');
  await host.stop();
  t.equal(host.state, 'stopped');
  t.notOk(await portOpen(host.url!), 'port closed after stop');
});

t.test('a processor that throws fails its job; the host stays up', async (t) => {
  const host = makeHost(t, [upperPlugin]);
  await host.start();
  const res = await host.http.inject({ method: 'POST', url: '/plugins/upper/upper', payload: { text: 'boom' } });
  t.equal(res.statusCode, 502);
  t.match(res.json(), { code: 'LPX_ERR_JOBS_FAILED', detail: /processor exploded/ });
  const again = await host.http.inject({ method: 'POST', url: '/plugins/upper/upper', payload: { text: 'fine' } });
  t.same(again.json(), { result: 'FINE' }, 'later jobs still run');
});

t.test('init failure: boot stops, names the plugin, unwinds what started', async (t) => {
  const stopped: string[] = [];
  const first = trivialPlugin('first', ({ lifecycle }) => lifecycle.onShutdown(() => void stopped.push('first')));
  const broken = trivialPlugin('broken', () => {
    throw new Error('cannot open device');
  }, { requires: { services: ['core.lifecycle'], plugins: { first: '*' } } });
  const host = makeHost(t, [first, broken]);
  await t.rejects(host.start(), { code: 'LPX_ERR_PLUGIN_INIT_FAILED', message: /plugin broken failed to initialise: cannot open device/ });
  t.equal(host.state, 'failed');
  t.same(stopped, ['first'], 'the plugin that had started was stopped');
  t.equal(host.url, undefined, 'the HTTP edge never listened');
});

t.test('a hanging init times out', async (t) => {
  const hang = trivialPlugin('hang', () => new Promise(() => {}));
  const host = makeHost(t, [hang], { lifecycle: { initTimeoutMs: 100 } });
  await t.rejects(host.start(), { code: 'LPX_ERR_PLUGIN_INIT_TIMEOUT', message: /plugin hang did not finish init within 100 ms/ });
});

t.test('a failing start hook closes the port it had opened', async (t) => {
  let url: string | undefined;
  const host = makeHost(t, [trivialPlugin('late', ({ lifecycle }) => lifecycle.onStart(() => { url = host.url; throw new Error('no license'); }))]);
  await t.rejects(host.start(), { code: 'LPX_ERR_PLUGIN_START_FAILED', message: /plugin late: start hook failed: no license/ });
  t.ok(url, 'the edge was listening when the hook ran');
  t.notOk(await portOpen(url!), 'and is closed now');
});

t.test('shutdown hooks run in reverse dependency order', async (t) => {
  const order: string[] = [];
  const make = (id: string, after?: string) =>
    trivialPlugin(id, ({ lifecycle }) => {
      lifecycle.onStart(() => void order.push(`start ${id}`));
      lifecycle.onShutdown(() => void order.push(`stop ${id}`));
    }, after ? { requires: { services: ['core.lifecycle'], plugins: { [after]: '*' } } } : {});
  const host = makeHost(t, [make('c', 'b'), make('a'), make('b', 'a')]);
  await host.start();
  await host.stop();
  t.same(order, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
});

t.test('encapsulation: no escaping to the root scope', async (t) => {
  const escaper = definePlugin({
    manifest: testManifest('escaper', { requires: { services: ['core.http'] } }),
    register(reg) {
      reg.registerInit({ deps: { http: coreServices.http }, init: ({ http }) => http.register(fp(async (app) => { app.get('/hijack', async () => 'x'); })) });
    },
  });
  const host = makeHost(t, [escaper]);
  await t.rejects(host.start(), { code: 'LPX_ERR_PLUGIN_INIT_FAILED', message: /fastify-plugin wrapped function/ });
});

t.test('binding a processor for an undeclared capability is refused', async (t) => {
  const greedy = definePlugin({
    manifest: testManifest('greedy', { requires: { services: ['core.jobs'] } }),
    register(reg) {
      reg.registerInit({ deps: { jobs: coreServices.jobs }, init: ({ jobs }) => jobs.registerProcessor('video/transcode', async () => 1) });
    },
  });
  await t.rejects(makeHost(t, [greedy]).start(), { message: /LPX_ERR_PLUGIN_CAPABILITY_UNDECLARED|video\/transcode/ });
});

t.test('Redis unreachable at start is a coded refusal after redis.connectTimeoutMs, naming the url', async (t) => {
  // A port nothing listens on: ioredis would reconnect forever; start must end instead.
  const port = await findFreePort();
  const host = makeHost(t, [upperPlugin], { redis: { url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300 } });
  await t.rejects(host.start(), { code: 'LPX_ERR_REDIS_UNREACHABLE', message: new RegExp(`127\\.0\\.0\\.1:${port}.*within 300 ms`) });
  t.equal(host.state, 'failed');
});
