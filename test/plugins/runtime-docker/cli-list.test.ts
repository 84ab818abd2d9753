// `lpx containers list --config`: the node's plugins loaded as `lpx start`
// loads them, the runtime probed, and every container the node owns listed
// (any plugin's) — or why the runtime is unavailable.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { containerOwnerId } from '../../../core/src/containers/owner-id.js';
import { createDockerRuntime } from '../../../plugins/runtime-docker/src/index.js';
import { makeBusyboxRootfs } from '../../../sdk/src/testing/containers/busybox-rootfs.js';
import { runCli } from '../../helpers/cli.js';
import { testDocker } from '../../helpers/docker.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

t.test('lpx containers list shows the node\'s containers, and says why when the runtime is unavailable', async (t) => {
  const { dockerHost } = await testDocker(t);
  const redis = await testRedis(t);
  const dir = await mkdtemp(join(tmpdir(), 'lpx-containers-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const module = resolve(import.meta.dirname, '../../../plugins/runtime-docker/src/index.ts');
  const config = join(dir, 'node.yaml');
  const write = (host: string) =>
    writeFile(config, `node:\n  dataDir: ${JSON.stringify(dataDir)}\nredis:\n  url: ${redis.url}\n  prefix: "${uniquePrefix('cli')}"\nplugins:\n  runtime-docker:\n    module: ${JSON.stringify(module)}\n    config:\n      host: ${JSON.stringify(host)}\n      callTimeoutMs: 5000\n`);
  await write(dockerHost);

  const empty = await runCli('containers', 'list', '--config', config);
  t.equal(empty.code, 0, empty.stderr);
  t.match(empty.stdout, new RegExp(`no containers \\(owner ${containerOwnerId(dataDir)}, runtime docker at ${dockerHost}\\)`));

  // A container the node's plugin "ai-runners" made (created here with the node's owner id, as the kernel would).
  const runtime = createDockerRuntime({ host: dockerHost, dataDir: t.testdir() });
  t.teardown(() => runtime.close());
  await runtime.probe(new AbortController().signal);
  const rootfs = await makeBusyboxRootfs({ workDir: t.testdir() });
  const image = await runtime.ensureImage({ ref: `lpx-test/busybox:${rootfs.digest}`, source: { kind: 'import', tarPath: rootfs.tarPath } });
  const created = await runtime.create({ name: `lpx-cli-${process.pid}`, image: image.ref, command: ['httpd', '-f', '-p', '8000', '-h', '/www'], ports: [{ containerPort: 8000 }] }, { ownerId: containerOwnerId(dataDir), pluginId: 'ai-runners', specHash: 'abcdef0123456789' });
  t.teardown(() => runtime.remove(created.id, { force: true }));
  const started = await runtime.start(created.id);
  const port = started.ports[0]!.hostPort;

  const human = await runCli('containers', 'list', '--config', config);
  t.equal(human.code, 0, human.stderr);
  t.match(human.stdout.split('\n')[0], /^NAME\s+PLUGIN\s+STATE\s+HEALTH\s+PORTS\s+IMAGE\s+ID\s+SPEC$/);
  t.match(human.stdout, new RegExp(`lpx-cli-${process.pid}\\s+ai-runners\\s+running\\s+none\\s+127\\.0\\.0\\.1:${port}->8000\\s+${image.ref.replace(/[.]/g, '\\.')}\\s+${created.id.slice(0, 12)}\\s+abcdef012345`));

  const json = JSON.parse((await runCli('containers', 'list', '--config', config, '--json')).stdout) as { ok: boolean; ownerId: string; containers: { id: string }[] };
  t.equal(json.ok, true);
  t.same(json.containers.map((c) => c.id), [created.id]);

  await write('unix:///nonexistent/docker.sock');
  const down = await runCli('containers', 'list', '--config', config, '--set', 'containers.probeTimeoutMs=10000');
  t.equal(down.code, 1);
  t.match(down.stderr, /container runtime docker unavailable: .*nonexistent\/docker\.sock/);
});
