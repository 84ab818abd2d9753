// coreServices.containers through a real node: runtime-docker on the shared
// test engine, plugins that create containers, restarts and a second node on
// the same engine.
import t from 'tap';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONTAINER_OWNER_LABEL,
  CONTAINER_PLUGIN_LABEL,
  CONTAINER_SPEC_LABEL,
  containerSpecHash,
  coreServices,
  definePlugin,
  errors,
  type ContainersService,
  type PluginDefinition,
} from '@lpx/sdk';
import { makeBusyboxRootfs } from '../../../sdk/src/testing/containers/busybox-rootfs.js';
import { runtimeDockerPlugin } from '../../../plugins/runtime-docker/src/index.js';
import { Host } from '../../../core/src/boot/host.js';
import { loadConfig } from '../../../core/src/config/load-config.js';
import { testDocker } from '../../helpers/docker.js';

/** A plugin that only hands its coreServices.containers to the test. */
function grabber(id: string, sink: Map<string, ContainersService>): PluginDefinition {
  return definePlugin({
    manifest: { id, version: '0.1.0', host: '^0.1.0', description: 'test: exposes its containers service', permissions: ['docker'], requires: { services: ['core.containers'] } },
    register(reg) {
      reg.registerInit({ deps: { containers: coreServices.containers }, init: ({ containers }) => void sink.set(id, containers) });
    },
  });
}

function node(dataDir: string, plugins: PluginDefinition[], raw: Record<string, unknown> = {}): Host {
  return new Host({
    config: loadConfig({ raw: { log: { level: process.env.LPX_TEST_LOG ?? 'silent' }, http: { port: 0 }, ...raw, node: { roles: [], dataDir } }, env: process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {} }),
    plugins,
  });
}

t.test('plugins get the runtime with ownership labels stamped; each sees only its own containers; a restart finds them; another node does not', async (t) => {
  const { dockerHost } = await testDocker(t);
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-kc-'));
  const otherDir = mkdtempSync(join(tmpdir(), 'lpx-kc-other-'));
  t.teardown(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(otherDir, { recursive: true, force: true });
  });
  const docker = { plugins: { 'runtime-docker': { config: { host: dockerHost } } } };
  const services = new Map<string, ContainersService>();
  let host = node(dataDir, [runtimeDockerPlugin, grabber('alpha', services), grabber('beta', services)], docker);
  t.teardown(() => host.stop());
  await host.start();
  const alpha = services.get('alpha')!;
  const beta = services.get('beta')!;
  const status = await alpha.status();
  t.equal(status.available, true, status.reason ?? '');
  t.equal(status.runtime, 'docker');

  const rootfs = await makeBusyboxRootfs({ workDir: t.testdir() });
  const image = await alpha.ensureImage({ ref: `lpx-test/busybox:${rootfs.digest}`, source: { kind: 'import', tarPath: rootfs.tarPath } });
  const spec = { name: `lpx-kc-${process.pid}-a`, image: image.ref, command: ['sleep', '300'], labels: { 'io.lpx.model': 'm1', [CONTAINER_OWNER_LABEL]: 'forged' } };
  const created = await alpha.create(spec);
  t.teardown(() => alpha.remove(created.id, { force: true }).catch(() => undefined));
  t.equal(created.labels[CONTAINER_OWNER_LABEL], host.containers.ownerId, 'the owner label is the node\'s, a forged one is replaced');
  t.equal(created.labels[CONTAINER_PLUGIN_LABEL], 'alpha');
  t.equal(created.labels[CONTAINER_SPEC_LABEL], containerSpecHash(spec), 'the spec label is the sdk hash of the spec the plugin gave');
  t.equal(containerSpecHash({ ...spec, labels: { 'io.lpx.model': 'm1' } }), containerSpecHash(spec), 'kernel labels do not change the hash');
  t.not(containerSpecHash({ ...spec, command: ['sleep', '301'] }), containerSpecHash(spec), 'a changed spec changes the hash');
  await alpha.start(created.id);

  t.same((await alpha.list()).map((c) => c.id), [created.id], 'alpha lists its container');
  t.same((await alpha.list({ 'io.lpx.model': 'm1' })).map((c) => c.id), [created.id], 'filtered by its labels');
  t.same(await alpha.list({ 'io.lpx.model': 'm2' }), [], 'a label it does not have');
  t.same(await beta.list(), [], 'beta sees none of alpha\'s');
  t.equal(await beta.inspect(created.id), undefined, 'beta cannot inspect it');
  await t.rejects(beta.stop(created.id), { code: errors.containers.NOT_FOUND.code }, 'nor stop it');
  await t.rejects(beta.remove(created.id), { code: errors.containers.NOT_FOUND.code }, 'nor remove it');
  await t.rejects(beta.logs(created.id), { code: errors.containers.NOT_FOUND.code }, 'nor read its logs');

  const response = await fetch(`${host.url}/v1/containers/runtime`);
  const body = (await response.json()) as Record<string, unknown>;
  t.match(body, { ownerId: host.containers.ownerId, runtime: 'docker', available: true, probing: false, added: ['docker'] }, 'GET /v1/containers/runtime');

  // A second node on the same engine: its plugins see nothing of the first node's.
  const otherServices = new Map<string, ContainersService>();
  const other = node(otherDir, [runtimeDockerPlugin, grabber('alpha', otherServices)], docker);
  t.teardown(() => other.stop());
  await other.start();
  t.not(other.containers.ownerId, host.containers.ownerId, 'two data dirs, two owners');
  t.same(await otherServices.get('alpha')!.list(), [], 'the other node\'s alpha lists none of the first node\'s containers');
  await t.rejects(otherServices.get('alpha')!.stop(created.id), { code: errors.containers.NOT_FOUND.code });
  await other.stop();

  // Restart on the same data dir: same owner, the container is found and still runs (an external engine keeps it).
  await host.stop();
  services.clear();
  host = node(dataDir, [runtimeDockerPlugin, grabber('alpha', services)], docker);
  await host.start();
  const found = await services.get('alpha')!.list();
  t.same(found.map((c) => [c.id, c.state]), [[created.id, 'running']], 'found after the restart');
  t.equal(found[0]!.labels[CONTAINER_SPEC_LABEL], containerSpecHash(spec), 'with the spec hash to decide adoption');
  await services.get('alpha')!.remove(created.id, { force: true });
  t.same(await services.get('alpha')!.list(), []);
});

t.test('no runtime: calls reject with UNAVAILABLE naming the reason; an unknown containers.runtime fails the boot', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-kc-none-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const services = new Map<string, ContainersService>();
  const host = node(dataDir, [grabber('alpha', services)]);
  t.teardown(() => host.stop());
  await host.start();
  const alpha = services.get('alpha')!;
  t.match(await alpha.status(), { available: false, reason: /no container runtime/ });
  await t.rejects(alpha.list(), { code: errors.containers.UNAVAILABLE.code, message: /no container runtime/ });
  await t.rejects(alpha.create({ name: 'x', image: 'y' }), { code: errors.containers.UNAVAILABLE.code });
  await host.stop();

  const unknown = node(dataDir, [runtimeDockerPlugin], { containers: { runtime: 'podman' }, plugins: { 'runtime-docker': { config: { host: 'unix:///nonexistent.sock' } } } });
  await t.rejects(unknown.start(), { code: errors.containers.RUNTIME_UNKNOWN.code, message: /"podman" but no loaded plugin adds it \(added: docker\)/ });
});

t.test('an unreachable engine: calls reject with UNAVAILABLE and the reason; the runtime is re-probed and used once the engine answers', async (t) => {
  const { socketPath } = await testDocker(t);
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-kc-late-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  // The engine "comes up" when the socket path the node was given starts leading to a live engine.
  const late = join(dataDir, 'late.sock');
  const services = new Map<string, ContainersService>();
  const host = node(dataDir, [runtimeDockerPlugin, grabber('alpha', services)], {
    containers: { reprobeIntervalMs: 200 },
    plugins: { 'runtime-docker': { config: { host: `unix://${late}`, callTimeoutMs: 2_000 } } },
  });
  t.teardown(() => host.stop());
  await host.start();
  const alpha = services.get('alpha')!;
  const status = await alpha.status();
  t.equal(status.available, false);
  t.match(status.reason, /ENOENT|connect/, 'the reason says the engine cannot be reached');
  await t.rejects(alpha.list(), { code: errors.containers.UNAVAILABLE.code, message: /container runtime docker unavailable: .*(ENOENT|connect)/ });
  symlinkSync(socketPath, late);
  const deadline = Date.now() + 30_000;
  while (!(await alpha.status()).available && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal((await alpha.status()).available, true, 're-probed: available');
  t.same(await alpha.list(), [], 'and usable');
});
