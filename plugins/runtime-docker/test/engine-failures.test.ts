import t from 'tap';
import { createServer as createHttpServer, request, type ServerResponse } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '@lpx/sdk';
import { createDockerRuntime } from '../src/index.js';
import { testDocker } from '../../../test/helpers/docker.js';

t.test('a hung engine (accepts, never answers): the probe says so within callTimeoutMs and calls are UNAVAILABLE', async (t) => {
  // Unix socket paths are limited to 107 bytes: not under tap's long fixture dir.
  const dir = await mkdtemp(join(tmpdir(), 'lpx-hung-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const socketPath = join(dir, 'hung.sock');
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  const runtime = createDockerRuntime({ host: `unix://${socketPath}`, dataDir: t.testdir(), callTimeoutMs: 300 });
  const status = await runtime.probe(new AbortController().signal);
  t.equal(status.available, false);
  t.match(status.reason, /engine version: the engine did not answer within 300 ms/);
  t.equal(status.endpoint, `unix://${socketPath}`);
  await t.rejects(runtime.list({ ownerId: 'x' }), { code: errors.containers.UNAVAILABLE.code, message: /did not answer within 300 ms/ }, 'not usable before a successful probe');
  await runtime.close();
});

t.test('an engine that stops answering one kind of call: that call is ENGINE_ERROR after callTimeoutMs, the others still work', async (t) => {
  const { socketPath: engine } = await testDocker(t);
  const dir = await mkdtemp(join(tmpdir(), 'lpx-proxy-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const socketPath = join(dir, 'proxy.sock');
  // Forwards to the real engine, except listing containers, which hangs.
  const held: ServerResponse[] = [];
  const proxy = createHttpServer((req, res) => {
    if (req.url?.includes('/containers/json')) return void held.push(res);
    const upstream = request({ socketPath: engine, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(socketPath, resolve));
  t.teardown(() => {
    for (const res of held) res.destroy();
    proxy.close();
  });
  const runtime = createDockerRuntime({ host: `unix://${socketPath}`, dataDir: t.testdir(), callTimeoutMs: 500 });
  t.teardown(() => runtime.close());
  t.equal((await runtime.probe(new AbortController().signal)).available, true, 'version and networks pass through');
  await t.rejects(runtime.list({ ownerId: 'x' }), { code: errors.containers.ENGINE_ERROR.code, message: 'list containers: the engine did not answer within 500 ms' });
  t.equal(await runtime.inspect('lpx-no-such-container'), undefined, 'other calls still answer');
});

t.test('own engine: a dockerd that cannot be run is an unavailable probe naming the fix', async (t) => {
  const runtime = createDockerRuntime({ dataDir: t.testdir(), dockerdPath: '/nonexistent/dockerd' }, undefined, undefined);
  const status = await runtime.probe(new AbortController().signal);
  t.equal(status.available, false);
  t.match(status.reason, /dockerd not runnable \('\/nonexistent\/dockerd': ENOENT\): install docker\.io/);
  await runtime.close();
});

t.test('GPUs on an engine without the NVIDIA runtime: the container is created, its start is START_FAILED with the engine\'s reason', async (t) => {
  const { dockerHost } = await testDocker(t);
  const runtime = createDockerRuntime({ host: dockerHost, dataDir: t.testdir() });
  t.teardown(() => runtime.close());
  t.ok((await runtime.probe(new AbortController().signal)).available);
  const { makeBusyboxRootfs } = await import('../../../sdk/src/testing/containers/busybox-rootfs.js');
  const rootfs = await makeBusyboxRootfs({ workDir: t.testdir() });
  const image = await runtime.ensureImage({ ref: `lpx-test/busybox:${rootfs.digest}`, source: { kind: 'import', tarPath: rootfs.tarPath } });
  const created = await runtime.create({ name: `lpx-gpu-${process.pid}`, image: image.ref, command: ['true'], gpus: ['0'] }, { ownerId: `gpu-${process.pid}`, pluginId: 'test', specHash: 'h' });
  t.teardown(() => runtime.remove(created.id, { force: true }));
  await t.rejects(runtime.start(created.id), { code: errors.containers.START_FAILED.code, message: /nvidia|device driver/i });
});
