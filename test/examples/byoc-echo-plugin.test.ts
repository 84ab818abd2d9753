// The example BYOC partner plugin (examples/byoc-echo-plugin), installed the
// way `lpx dev up --byoc` installs it (image built FROM lpx/busybox on the
// shared test engine, saved, digest pinned in the installed manifest), then
// hosted by byoc-host on a real node: a job reaches the container and comes
// back echoed; input the manifest's schema refuses never reaches it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { PluginDefinition } from '@lpx/sdk';
import { byocHostPlugin } from '../../plugins/byoc-host/src/index.js';
import { runtimeDockerPlugin } from '../../plugins/runtime-docker/src/index.js';
import { postJob } from '../../core/src/network/byoc/index.js';
import { BYOC_EXAMPLE_DIR, installByocExample } from '../../core/src/dev/byoc-example.js';
import { testDocker } from '../helpers/docker.js';
import { makeHost } from '../helpers/host.js';
import { testRedis, uniquePrefix } from '../helpers/redis.js';

const gateway = privateKeyToAccount(generatePrivateKey());

t.test('examples/byoc-echo-plugin: installed with its image pinned, hosted by byoc-host, echoes a job', async (t) => {
  const { dockerHost } = await testDocker(t);
  const dir = mkdtempSync(join(tmpdir(), 'lpx-byoc-example-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const installed = await installByocExample(dir, { host: dockerHost });
  t.match(installed, { pluginId: 'echo-box', app: 'echo-box', digest: /^sha256:[0-9a-f]{64}$/ });
  const manifest = JSON.parse(readFileSync(join(dir, 'plugin.manifest.json'), 'utf8')) as { byoc: { container: { digest: string; archive: string } } };
  t.equal(manifest.byoc.container.digest, installed.digest, 'the installed manifest pins the built image');
  t.ok(existsSync(join(dir, manifest.byoc.container.archive)), 'the docker-save archive is in the package');
  const source = JSON.parse(readFileSync(join(BYOC_EXAMPLE_DIR, 'plugin.manifest.json'), 'utf8')) as typeof manifest;
  t.match(source.byoc.container.digest, /^sha256:0{64}$/, "the repository's manifest keeps its placeholder");

  const plugin = ((await import(pathToFileURL(join(dir, 'index.js')).href)) as { default: PluginDefinition }).default;
  const redis = await testRedis(t);
  const host = makeHost(t, [runtimeDockerPlugin, byocHostPlugin, plugin], {
    redis: { url: redis.url, prefix: uniquePrefix('byoc-example') },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0, secret: 'byoc-example-secret' },
    plugins: { 'runtime-docker': { config: { host: dockerHost } }, 'byoc-host': { config: { startTimeoutMs: 60_000 } } },
  });
  await host.start();
  t.ok(host.capabilities.get('byoc/echo-box'), 'the node offers byoc/echo-box');

  const send = (body: string) =>
    postJob({ serviceUri: host.serviceUri!, capability: 'byoc/echo-box', subpath: '', request: '{}', parameters: '{}', body, contentType: 'application/json', timeoutMs: 30_000, signer: gateway, payment: undefined, requestId: `job-${Math.random().toString(36).slice(2)}` });
  const answer = await send('{"text":"hi partner"}');
  t.equal(answer.status, 200);
  t.same(JSON.parse(answer.body.toString()), { echo: { text: 'hi partner' } }, 'the container echoed the job');
  const refused = await send('{"txt":"typo"}').then(
    () => undefined,
    (error: { details?: { status: number } }) => error.details?.status,
  );
  t.equal(refused, 400, "input the manifest's inputSchema refuses is turned away before the app");
});
