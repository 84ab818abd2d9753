import t from 'tap';
import { containerSpecHash, errors, type ContainerRuntime } from '@lpx/sdk';
import { containerOwnerId } from '../../src/containers/owner-id.js';
import { ContainerRuntimeRegistry } from '../../src/containers/runtime-registry.js';

/** Only the name matters to the registry; nothing here is ever called. */
const named = (name: string) => ({ name }) as unknown as ContainerRuntime;

t.test('the registry picks the configured runtime, else the only one; refuses unknown names, ambiguity, bad and duplicate names', async (t) => {
  const none = new ContainerRuntimeRegistry();
  t.equal(none.pick(undefined), undefined, 'no runtime added: none (plugins asking get UNAVAILABLE)');
  t.throws(() => none.pick('docker'), { code: errors.containers.RUNTIME_UNKNOWN.code, message: /"docker" but no loaded plugin adds it \(added: none\)/ });

  const one = new ContainerRuntimeRegistry();
  one.addRuntime(named('docker'));
  t.equal(one.pick(undefined)?.name, 'docker', 'the only one is the default');
  t.equal(one.pick('docker')?.name, 'docker');
  t.throws(() => one.addRuntime(named('docker')), { code: errors.containers.RUNTIME_DUPLICATE.code });
  t.throws(() => one.addRuntime(named('Docker Engine')), { code: errors.plugin.REGISTER_INVALID.code });

  const two = new ContainerRuntimeRegistry();
  two.addRuntime(named('docker'));
  two.addRuntime(named('podman'));
  t.throws(() => two.pick(undefined), { code: errors.containers.RUNTIME_UNKNOWN.code, message: /several container runtimes are added \(docker, podman\)/ });
  t.equal(two.pick('podman')?.name, 'podman');
});

t.test('the owner id: stable for a data dir, distinct between data dirs', async (t) => {
  t.equal(containerOwnerId('/srv/lpx/node-a'), containerOwnerId('/srv/lpx/node-a/'), 'same dir, same id');
  t.equal(containerOwnerId('/srv/lpx/node-a'), containerOwnerId('/srv/lpx/x/../node-a'), 'resolved first');
  t.not(containerOwnerId('/srv/lpx/node-a'), containerOwnerId('/srv/lpx/node-b'));
  t.match(containerOwnerId('/srv/lpx/node-a'), /^lpx-[0-9a-f]{16}$/);
});

t.test('the spec hash ignores key order, empty label maps and the kernel labels; any real change changes it', async (t) => {
  const spec = { name: 'r', image: 'i:1', env: { A: '1', B: '2' }, ports: [{ containerPort: 8000 }] };
  const hash = containerSpecHash(spec);
  t.equal(containerSpecHash({ image: 'i:1', ports: [{ containerPort: 8000 }], env: { B: '2', A: '1' }, name: 'r' }), hash, 'key order');
  t.equal(containerSpecHash({ ...spec, labels: {} }), hash, 'an empty label map');
  t.equal(containerSpecHash({ ...spec, labels: { 'io.lpx.owner': 'x', 'io.lpx.spec': 'y', 'io.lpx.plugin': 'z' } }), hash, 'kernel labels');
  for (const changed of [{ ...spec, image: 'i:2' }, { ...spec, env: { A: '1' } }, { ...spec, ports: [{ containerPort: 8001 }] }, { ...spec, labels: { model: 'm' } }, { ...spec, gpus: ['0'] }]) {
    t.not(containerSpecHash(changed), hash, JSON.stringify(changed));
  }
});
