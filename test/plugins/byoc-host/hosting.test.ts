// byoc-host on a real node: runtime-docker on the shared test engine, a
// partner plugin made with defineByocPlugin whose app is a tiny busybox
// image shipped as a `docker save` archive, real Redis and BullMQ, and
// go-livepeer-style BYOC clients (core's postJob / fetchJobToken, the
// GetOrchestrator RPC, raw /capability/register calls) on the TLS door.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { request } from 'undici';
import Dockerode from 'dockerode';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { errors, type ByocHostedService, type PluginDefinition } from '@lpx/sdk';
import { byocHostPlugin } from '../../../plugins/byoc-host/src/index.js';
import { runtimeDockerPlugin } from '../../../plugins/runtime-docker/src/index.js';
import { fetchJobToken, insecureOrchestratorAgent, jobSenderFor, postJob } from '../../../core/src/network/byoc/index.js';
import { getOrchestratorInfo } from '../../../core/src/network/index.js';
import { byocTestApp } from '../../helpers/byoc-test-app.js';
import { testDocker } from '../../helpers/docker.js';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { hostedGrabber, partnerPlugin, unloadedApp } from './partner-fixture.js';

const SECRET = 'byoc-host-secret';
const gateway = privateKeyToAccount(generatePrivateKey());

async function node(t: Test, plugins: PluginDefinition[], byocConfig: Record<string, unknown> = {}) {
  const { dockerHost } = await testDocker(t);
  const redis = await testRedis(t);
  const sink: { hosted?: ByocHostedService } = {};
  const host = makeHost(t, [runtimeDockerPlugin, byocHostPlugin, ...plugins, hostedGrabber(sink)], {
    redis: { url: redis.url, prefix: uniquePrefix('byoc-host') },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0, secret: SECRET },
    plugins: { 'runtime-docker': { config: { host: dockerHost } }, 'byoc-host': { config: { startTimeoutMs: 60_000, ...byocConfig } } },
  });
  return { host, sink };
}

/** The node refuses to start with the plugin's start (or init) failure, whose cause is byoc-host's coded error. */
async function startRefused(t: Test, start: Promise<unknown>, code: string, message: RegExp, wrapper: string = errors.plugin.START_FAILED.code): Promise<void> {
  const error = (await start.then(
    () => undefined,
    (e: unknown) => e,
  )) as { code?: string; cause?: { code?: string; message?: string } } | undefined;
  t.equal(error?.code, wrapper, 'the node does not start');
  t.equal(error?.cause?.code, code);
  t.match(error?.cause?.message, message);
}

async function containersOf(app: string): Promise<Dockerode.ContainerInfo[]> {
  const { socketPath } = await testDocker();
  return new Dockerode({ socketPath }).listContainers({ all: true, filters: { label: [`io.lpx.byoc.app=${app}`] } });
}

function job(serviceUri: string, capability: string, body: string, extra: { subpath?: string; requestId?: string } = {}) {
  return postJob({
    serviceUri,
    capability,
    subpath: extra.subpath ?? 'cgi-bin/echo',
    request: '{}',
    parameters: '{}',
    body,
    contentType: 'application/json',
    timeoutMs: 30_000,
    signer: gateway,
    payment: undefined,
    requestId: extra.requestId ?? `job-${Math.random().toString(36).slice(2)}`,
  });
}

async function rejection(promise: Promise<unknown>): Promise<{ status: number; text: string }> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { details?: { status: number; text: string } } | undefined;
  if (error?.details === undefined) throw new Error('expected a refusal');
  return error.details;
}

function registerBody(fields: Record<string, unknown>): string {
  return JSON.stringify({ description: 'external worker', capacity: 1, price_per_unit: 5, price_scaling: 2, currency: '', token: '', ...fields });
}

async function post(uri: string, path: string, body: string, authorization?: string) {
  // The kernel's own agent (core's undici) makes the request, so the test needs no second undici.
  const url = new URL(path, uri);
  const res = await insecureOrchestratorAgent().request({ origin: url.origin, path: url.pathname, method: 'POST', body, headers: authorization === undefined ? {} : { authorization } });
  return { status: res.statusCode, text: await res.body.text() };
}

t.test('a partner app is hosted from its archive, registered with its price, and serves BYOC jobs (offchain node: free)', async (t) => {
  const app = await unloadedApp(t, await byocTestApp(t));
  t.equal(await app.runtime.inspectImage(app.ref), undefined, 'the image is not on the engine before the node starts');
  const partner = partnerPlugin(app, {
    name: 'echo-app',
    inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
  });
  const { host, sink } = await node(t, [partner], { apps: { 'echo-app': { capacity: 3 } } });
  await host.start();
  const uri = host.serviceUri!;

  const hosted = sink.hosted!.get('echo-app')!;
  t.match(hosted, { name: 'echo-app', capabilityId: 'byoc/echo-app', pluginId: 'partner-echo-app', version: '1.0.0', capacity: 3, ready: true, healthyStatus: 200 });
  t.match(hosted.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'published on loopback only');
  const running = await containersOf('echo-app');
  t.equal(running.length, 1, 'one instance');
  t.equal(running[0]!.ImageID, app.digest, 'from the pinned image');
  t.equal((await app.runtime.inspectImage(app.ref))?.id, app.digest, "loaded from the partner package's archive");
  t.equal(host.capabilities.get('byoc/echo-app')?.providedBy, 'byoc-host');

  const answer = await job(uri, 'echo-app', '{"text":"hello"}');
  t.equal(answer.status, 200);
  t.same(JSON.parse(answer.body.toString()), { method: 'POST', contentType: 'application/json', body: '{"text":"hello"}' }, 'the body reached the container at /cgi-bin/echo');

  const token = await fetchJobToken({ serviceUri: uri, capability: 'echo-app', sender: await jobSenderFor(gateway), timeoutMs: 5_000 });
  t.equal(token.availableCapacity, 3n, 'the operator override of capacity is advertised');

  const info = await getOrchestratorInfo(uri, { signer: gateway });
  t.same(
    info.capabilitiesPrices.filter((p) => p.capability === 37),
    [{ capability: 37, constraint: 'echo-app', pricePerUnit: 1000n, pixelsPerUnit: 1n }],
    'capabilities_prices lists the app: BYOC (37) + its name, wei per second',
  );

  const invalid = await rejection(job(uri, 'echo-app', '{"nope":1}'));
  t.equal(invalid.status, 400, 'input that fails the schema is a 400');
  t.match(invalid.text, /body\.text: required field missing/);
  const notJson = await rejection(job(uri, 'echo-app', '{not json'));
  t.equal(notJson.status, 400);

  const failing = await rejection(job(uri, 'echo-app', '{"text":"x"}', { subpath: 'cgi-bin/fail' }));
  t.equal(failing.status, 500, "the app's own failure is relayed with its status");
  t.match(failing.text, /failed on purpose/);

  await host.stop();
  t.same(await containersOf('echo-app'), [], 'a stopping node removes its app containers');
});

t.test('an image whose id differs from the pinned digest is refused and nothing is started', async (t) => {
  const app = await byocTestApp(t);
  const wrong = `sha256:${'0'.repeat(64)}`;
  const partner = partnerPlugin(app, { name: 'wrong-digest', container: { image: app.ref, digest: wrong, port: app.port } });
  const { host } = await node(t, [partner]);
  await startRefused(t, host.start(), errors.byoc.IMAGE_DIGEST_MISMATCH.code, new RegExp(`${app.digest}.*${wrong}`));
  t.same(await containersOf('wrong-digest'), [], 'no container was created');
});

t.test('an app that never answers its health check is refused with APP_UNHEALTHY and removed', async (t) => {
  const app = await byocTestApp(t);
  const partner = partnerPlugin(app, { name: 'never-healthy', health: { path: '/not-there', status: 200, startTimeoutMs: 2_000 } });
  const { host } = await node(t, [partner]);
  await startRefused(t, host.start(), errors.byoc.APP_UNHEALTHY.code, /never-healthy.*not healthy within 2000 ms.*answered 404/s);
  t.same(await containersOf('never-healthy'), [], 'its container is gone');
});

t.test('an operator override for an app no plugin contributes is refused at start', async (t) => {
  const { host } = await node(t, [], { apps: { ghost: { instances: 2 } } });
  // Refused at init, before any container is looked at.
  await startRefused(t, host.start(), errors.byoc.APP_INVALID.code, /apps\.ghost: no plugin contributes/, errors.plugin.INIT_FAILED.code);
});

t.test('go-livepeer external workers: registered with the orchestrator secret, used with their token, removed after a transport error', async (t) => {
  const { host, sink } = await node(t, []);
  await host.start();
  const uri = host.serviceUri!;
  const seen: { url: string | undefined; authorization: string | undefined; body: string }[] = [];
  const worker = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ url: req.url, authorization: req.headers.authorization, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ worked: true }));
    });
  });
  await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => worker.close());
  const workerUrl = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`;

  t.same(await post(uri, '/capability/register', registerBody({ name: 'ext-worker', url: workerUrl }), 'wrong'), { status: 400, text: 'invalid authorization\n' }, 'a wrong secret is a 400');
  t.same(await post(uri, '/capability/register', registerBody({ name: 'ext-worker', url: workerUrl }), `Bearer ${SECRET}`), { status: 400, text: 'invalid authorization\n' }, 'the raw secret, not Bearer');
  t.equal((await post(uri, '/capability/register', registerBody({ name: 'ext-worker', url: 'ftp://x' }), SECRET)).status, 400, 'a bad url is a 400');
  t.same(await post(uri, '/capability/register', registerBody({ name: 'ext-worker', url: workerUrl, token: 'worker-token' }), SECRET), { status: 200, text: 'ok' });
  t.match(sink.hosted!.get('ext-worker'), { pluginId: 'external', ready: true, url: workerUrl });

  const info = await getOrchestratorInfo(uri, { signer: gateway });
  t.same(info.capabilitiesPrices.filter((p) => p.capability === 37), [{ capability: 37, constraint: 'ext-worker', pricePerUnit: 5n, pixelsPerUnit: 2n }], 'price_per_unit / price_scaling');

  const answer = await job(uri, 'ext-worker', '{"a":1}', { subpath: 'run/this' });
  t.same(JSON.parse(answer.body.toString()), { worked: true });
  t.same(seen, [{ url: '/run/this', authorization: 'Bearer worker-token', body: '{"a":1}' }], 'forwarded to {url}/{rest} with the Bearer token');

  t.same(await post(uri, '/capability/unregister', 'not-registered', SECRET), { status: 400, text: 'Error removing capability: capability not found: not-registered\n' });
  await new Promise<void>((resolve) => worker.close(() => resolve()));
  worker.closeAllConnections();
  const lost = await rejection(job(uri, 'ext-worker', '{"a":2}'));
  t.equal(lost.status, 500, 'a transport error fails the job');
  t.equal(sink.hosted!.get('ext-worker'), undefined, 'and removes the worker');
  t.equal(host.capabilities.get('byoc/ext-worker'), undefined, 'and its capability');

  t.same(await post(uri, '/capability/register', registerBody({ name: 'ext-worker', url: workerUrl }), SECRET), { status: 200, text: 'ok' }, 'it may register again');
  t.same(await post(uri, '/capability/unregister', 'ext-worker', SECRET), { status: 200, text: 'ok' });
  t.equal(host.capabilities.get('byoc/ext-worker'), undefined);

  // A worker whose token changed answers 401: go-livepeer drops it so it registers again with the new one.
  const strict = createServer((_req, res) => res.writeHead(401).end('bad token'));
  await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
  t.teardown(() => strict.close());
  const strictUrl = `http://127.0.0.1:${(strict.address() as AddressInfo).port}`;
  t.same(await post(uri, '/capability/register', registerBody({ name: 'strict-worker', url: strictUrl, token: 'old' }), SECRET), { status: 200, text: 'ok' });
  const unauthorized = await rejection(job(uri, 'strict-worker', '{}'));
  t.equal(unauthorized.status, 500);
  t.match(unauthorized.text, /worker auth token failed/);
  t.equal(sink.hosted!.get('strict-worker'), undefined, 'a 401 removes the worker');
});
