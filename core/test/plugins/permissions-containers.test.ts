import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t, { type Test } from 'tap';
import { coreServices, errors, type ConfigService, type ContainerSpec, type ContainersService, type LpxError, type PluginManifest } from '@lpx/sdk';
import { guardedContainers } from '../../src/permissions/guarded-containers.js';
import { PluginPermissions } from '../../src/permissions/plugin-permissions.js';
import { grabbing, MemoryRuntime, runtimePlugin, startHost } from './permissions-fixture.js';

// coreServices.containers behind docker / gpu / fs and their grants (docs/adr/0036-permissions-enforced.md).

const spec = (name: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({ name, image: 'acme/app:1', ...extra });

interface Grabbed {
  containers: ContainersService;
  nodeDir: string;
}

async function boot(t: Test, manifests: Record<string, Partial<PluginManifest>>, raw: Record<string, unknown> = {}) {
  const runtime = new MemoryRuntime();
  const grabbed = new Map<string, Grabbed>();
  const plugins = Object.entries(manifests).map(([id, manifest]) =>
    grabbing(id, { containers: coreServices.containers, config: coreServices.config }, manifest, (deps) => {
      const config = deps.config as ConfigService;
      grabbed.set(id, { containers: deps.containers as ContainersService, nodeDir: resolve(config.dataDir, '..', '..') });
    }),
  );
  await startHost(t, [runtimePlugin(runtime), ...plugins], raw);
  return { runtime, grabbed: (id: string) => grabbed.get(id)! };
}

/** Asserts a PERMISSION_DENIED that names the permission (and the grant, when given). */
async function denied(t: Test, promise: Promise<unknown>, permission: string, grant?: string): Promise<LpxError> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as LpxError | undefined;
  t.ok(errors.plugin.PERMISSION_DENIED.is(error), `refused with LPX_ERR_PLUGIN_PERMISSION_DENIED (${error?.message ?? 'not refused'})`);
  t.equal(error?.details?.['permission'], permission, `names the ${permission} permission`);
  t.match(error?.message, permission, 'the message names it too');
  if (grant !== undefined) {
    t.equal(error?.details?.['grant'], grant, `names ${grant}`);
    t.match(error?.message, grant);
  }
  return error!;
}

t.test('asking for coreServices.containers without docker is refused at boot, before any init', async (t) => {
  const runtime = new MemoryRuntime();
  let ran = false;
  const plugin = grabbing('no-docker', { containers: coreServices.containers }, {}, () => (ran = true));
  const host = (await import('../../../test/helpers/host.js')).makeHost(t, [runtimePlugin(runtime), plugin]);
  const error = await denied(t, host.start(), 'docker');
  t.match(error.message, /plugin no-docker may not use coreServices\.containers \(init dep "containers"\)/);
  t.notOk(ran, 'no init ran');
});

t.test('docker declared: containers are created; GPUs, binds, images, memory and count are checked first', async (t) => {
  const { runtime, grabbed } = await boot(t, {
    plain: { permissions: ['docker'] },
    gpus: { permissions: ['docker', 'gpu'], grants: { gpu: { max: 1 } } },
    files: { permissions: ['docker', 'fs'], grants: { fs: { paths: [{ path: 'shared', access: 'ro' }, { path: 'scratch', access: 'rw' }] } } },
    limited: { permissions: ['docker'], grants: { docker: { images: ['acme/*'], maxContainers: 1, maxMemoryBytes: 1024 } } },
  });

  const plain = grabbed('plain').containers;
  const created = await plain.create(spec('plain-1'));
  t.equal(created.name, 'plain-1', 'the allowed path works');
  t.equal((await plain.list()).length, 1);
  let before = runtime.created.length;
  await denied(t, plain.create(spec('plain-gpu', { gpus: ['0'] })), 'gpu');
  await denied(t, plain.create(spec('plain-bind', { binds: [{ hostPath: '/tmp', containerPath: '/x', readOnly: true }] })), 'fs', 'grants.fs.paths');
  t.equal(runtime.created.length, before, 'nothing refused reached the runtime');

  const gpus = grabbed('gpus').containers;
  await gpus.create(spec('gpu-1', { gpus: ['0'] }));
  await denied(t, gpus.create(spec('gpu-2', { gpus: ['0', '1'] })), 'gpu', 'grants.gpu.max');

  const { containers: files, nodeDir } = grabbed('files');
  mkdirSync(join(nodeDir, 'shared', 'models'), { recursive: true });
  mkdirSync(join(nodeDir, 'scratch'), { recursive: true });
  symlinkSync('/etc', join(nodeDir, 'shared', 'escape'));
  await files.create(spec('ro-ok', { binds: [{ hostPath: join(nodeDir, 'shared', 'models'), containerPath: '/models', readOnly: true }] }));
  await files.create(spec('rw-ok', { binds: [{ hostPath: join(nodeDir, 'scratch', 'not-yet'), containerPath: '/work' }] }));
  before = runtime.created.length;
  const rw = await denied(t, files.create(spec('rw-on-ro', { binds: [{ hostPath: join(nodeDir, 'shared'), containerPath: '/models' }] })), 'fs', 'grants.fs.paths');
  t.match(rw.message, /\(rw\)/, 'says the access asked for');
  await denied(t, files.create(spec('outside', { binds: [{ hostPath: '/etc', containerPath: '/etc', readOnly: true }] })), 'fs', 'grants.fs.paths');
  await denied(t, files.create(spec('dotdot', { binds: [{ hostPath: join(nodeDir, 'shared', '..', '..'), containerPath: '/up', readOnly: true }] })), 'fs', 'grants.fs.paths');
  const link = await denied(t, files.create(spec('symlink', { binds: [{ hostPath: join(nodeDir, 'shared', 'escape'), containerPath: '/e', readOnly: true }] })), 'fs', 'grants.fs.paths');
  t.match(link.message, /bind \/etc /, 'a symlink is judged by where it points');
  t.equal(runtime.created.length, before, 'nothing refused reached the runtime');

  const limited = grabbed('limited').containers;
  await denied(t, limited.create(spec('evil-image', { image: 'evil/app:1', memoryBytes: 512 })), 'docker', 'grants.docker.images');
  await denied(t, limited.ensureImage({ ref: 'evil/app:1', source: { kind: 'present' } }), 'docker', 'grants.docker.images');
  await denied(t, limited.create(spec('no-limit')), 'docker', 'grants.docker.maxMemoryBytes');
  await denied(t, limited.create(spec('too-big', { memoryBytes: 2048 })), 'docker', 'grants.docker.maxMemoryBytes');
  const first = await limited.create(spec('fits', { memoryBytes: 1024 }));
  await denied(t, limited.create(spec('second', { memoryBytes: 512 })), 'docker', 'grants.docker.maxContainers');
  await limited.remove(first.id);
  const again = await limited.create(spec('after-remove', { memoryBytes: 512 }));
  t.ok(again, 'a removed container frees its place');
  await limited.remove(again.id);
  const racing = await Promise.allSettled([limited.create(spec('race-a', { memoryBytes: 1 })), limited.create(spec('race-b', { memoryBytes: 1 }))]);
  t.equal(racing.filter((r) => r.status === 'fulfilled').length, 1, 'of two concurrent creates for the last place, exactly one gets it');
});

t.test('the operator adds grants in plugins.<id>.grants; never a permission the manifest lacks', async (t) => {
  const { grabbed } = await boot(t, { widened: { permissions: ['docker', 'fs'] } }, { plugins: { widened: { grants: { fs: { paths: [{ path: '/srv/models', access: 'ro' }] } } } } });
  await grabbed('widened').containers.create(spec('w', { binds: [{ hostPath: '/srv/models', containerPath: '/models', readOnly: true }] }));
  t.pass('the operator-granted path binds');

  const host = (await import('../../../test/helpers/host.js')).makeHost(t, [grabbing('sneaky', {}, { permissions: ['docker'] }, () => undefined)], { plugins: { sneaky: { grants: { gpu: { max: 4 } } } } });
  const error = await denied(t, host.start(), 'gpu');
  t.equal(error.details?.['grant'], 'plugins.sneaky.grants.gpu');
});

t.test('the facade refuses every call when docker is not declared (defence behind the boot check)', async (t) => {
  const runtime = new MemoryRuntime();
  const inner = { create: (s: ContainerSpec) => runtime.create(s, { ownerId: 'o', pluginId: 'p', specHash: 'h' }) } as unknown as ContainersService;
  const facade = guardedContainers(inner, new PluginPermissions({ id: 'p' }), '/tmp');
  await denied(t, facade.create(spec('x')), 'docker');
  await denied(t, facade.list(), 'docker');
  await denied(t, facade.status(), 'docker');
  t.equal(runtime.created.length, 0);
});
