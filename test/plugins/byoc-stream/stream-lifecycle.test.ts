// What ends a BYOC stream besides the gateway's stop, on an offchain lpx
// orchestrator (streams are free there; the paid paths are in
// stream-wire.test.ts): the gateway closing the control channel, the app's
// worker unregistering, the node shutting down — each time the app is told
// once (/stream/stop), the channels go and the capacity comes back. And the
// app answering 401 is go-livepeer's 500 `Orchestrator worker failure`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { TricklePublisher } from '@lpx/sdk/trickle-kit';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { byocHostPlugin } from '../../../plugins/byoc-host/src/index.js';
import { byocStreamPlugin } from '../../../plugins/byoc-stream/src/index.js';
import { tricklePlugin } from '../../../plugins/trickle/src/index.js';
import { insecureOrchestratorAgent } from '../../../core/src/network/byoc/index.js';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { startStreamApp } from './helpers/stream-app.js';
import { channelExists, ScriptedStreamGateway } from './helpers/stream-gateway.js';

const SECRET = 'byoc-stream-lifecycle';

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within 60 s`)), 60_000)))]).finally(() => clearTimeout(timer));
}

t.test('streams end when their control channel, their app or the node goes', async (t) => {
  const redis = await testRedis(t);
  const app = await startStreamApp();
  t.teardown(() => app.close());
  // An app whose token is stale: every call is a 401.
  const stale = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(401).end('bad token'));
  });
  await new Promise<void>((resolve) => stale.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => stale.close(() => resolve())));

  const host = makeHost(t, [tricklePlugin, byocHostPlugin, byocStreamPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('byoc-stream-life') },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0, secret: SECRET },
    plugins: { 'byoc-stream': { config: { debitIntervalMs: 50 } } },
  });
  await host.start();
  const uri = host.serviceUri!;
  const capability = async (path: '/capability/register' | '/capability/unregister', body: string) => {
    const res = await insecureOrchestratorAgent().request({ origin: new URL(uri).origin, path, method: 'POST', body, headers: { authorization: SECRET } });
    t.equal(res.statusCode, 200, `${path} ${await res.body.text()}`);
  };
  const register = (name: string, url: string) => capability('/capability/register', JSON.stringify({ name, url, description: 'stream worker', capacity: 2, price_per_unit: 0, price_scaling: 1, currency: '', token: '' }));
  await register('live-a', app.url);
  await register('live-b', app.url);
  await register('live-stale', `http://127.0.0.1:${(stale.address() as AddressInfo).port}`);
  const gateway = new ScriptedStreamGateway(uri, privateKeyToAccount(generatePrivateKey()));

  await t.test('the gateway closes the control channel: the node stops the stream', async (t) => {
    const started = await gateway.start('live-a', 'ctl-1', {});
    t.equal(started.status, 200, started.text);
    t.equal(started.headers['livepeer-balance'], '0', 'offchain: free, balance 0');
    const control = started.headers['x-control-url'] as string;
    await new TricklePublisher(control, { insecure: true }).close();
    const stop = await within(app.next('/stream/stop', 'ctl-1'), 'stop after the control channel closed');
    t.equal(stop.body, 'its control channel is gone');
    t.notOk(await channelExists(started.headers['x-events-url'] as string), 'the other channels went too');
    t.equal((await gateway.token('live-a')).availableCapacity, 2n, 'capacity back');
  });

  await t.test("the app's worker unregisters: its streams stop", async (t) => {
    const started = await gateway.start('live-b', 'gone-1', {});
    t.equal(started.status, 200, started.text);
    t.equal((await gateway.token('live-b')).availableCapacity, 1n, 'one of two units held');
    await capability('/capability/unregister', 'live-b');
    const stop = await within(app.next('/stream/stop', 'gone-1'), 'stop after the app went away');
    t.equal(stop.body, 'its app went away or became unready');
    t.notOk(await channelExists(started.headers['x-control-url'] as string));
  });

  await t.test("a 401 from the app is go-livepeer's 500, and nothing is left behind", async (t) => {
    const refused = await gateway.start('live-stale', 'stale-1', { parameters: '{"enable_video_ingress":true}' });
    t.same([refused.status, refused.text, refused.headers['lpx-error-code']], [500, 'Orchestrator worker failure\n', 'LPX_ERR_BYOC_STREAM_WORKER_FAILED']);
    t.equal((await gateway.token('live-stale')).availableCapacity, 2n);
  });

  await t.test('the node shuts down: running streams are stopped and their apps told', async (t) => {
    const started = await gateway.start('live-a', 'shutdown-1', {});
    t.equal(started.status, 200, started.text);
    await host.stop();
    const stop = app.calls.find((call) => call.path === '/stream/stop' && call.streamId === 'shutdown-1');
    t.equal(stop?.body, 'the orchestrator is shutting down', 'told why, before the node stopped');
    t.equal(app.calls.filter((call) => call.path === '/stream/stop' && call.streamId === 'shutdown-1').length, 1, 'once');
  });
});
