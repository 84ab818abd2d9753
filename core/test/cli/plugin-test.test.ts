// The partner's path with a real docker engine: `lpx images base`, a
// scaffolded project's `npm run build:image` (its digest lands in the
// manifest and matches the archive) and `npm test`, then `lpx plugin test`
// passing — a job through a local gateway and a Live Runner call on a local
// orchestrator included, all torn down after — and failing with
// PLUGIN_TEST_FAILED, naming the steps, for a broken app, a stale digest and
// a missing archive.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { publishToLocalRegistry } from '@lpx/registry';
import { byocAppsExtensionPoint, definePlugin, type ByocAppContribution } from '@lpx/sdk';
import { runCli } from '../../../test/helpers/cli.js';
import { testDocker } from '../../../test/helpers/docker.js';
import { makeHost } from '../../../test/helpers/host.js';
import { dockerSaveImages } from '../../src/cli/partner/docker-save-id.js';

const exec = promisify(execFile);
// Longer than .taprc's per-file 180 s: image builds and containers on a loaded machine.
t.setTimeout(900_000);

t.test('scaffold → base image → build → npm test → lpx plugin test, and its refusals', { timeout: 900_000 }, async (t) => {
  const { dockerHost } = await testDocker(t);
  const env = { ...process.env, DOCKER_HOST: dockerHost };
  const npm = (dir: string, ...args: string[]) => exec('npm', args, { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
  const root = await mkdtemp(join(tmpdir(), 'lpx-partner-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));

  const base = await runCli('images', 'base', '--docker-host', dockerHost, '--json');
  t.equal(base.code, 0, base.stderr);
  const image = JSON.parse(base.stdout) as { ref: string; id: string };
  t.match(image.ref, /^lpx\/busybox:\d+\.\d+\.\d+$/);
  const again = JSON.parse((await runCli('images', 'base', '--docker-host', dockerHost, '--json')).stdout) as { id: string };
  t.equal(again.id, image.id, 'a second run keeps the image');
  const dynamic = await runCli('images', 'base', '--docker-host', dockerHost, '--busybox', process.execPath);
  t.equal(dynamic.code, 1);
  t.match(dynamic.stderr, /LPX_ERR_CONTAINERS_IMAGE_BUILD_FAILED: .* is dynamically linked/);

  const dir = join(root, 'text-upper');
  t.equal((await runCli('plugin', 'init', 'byoc', 'text-upper', '--dir', dir)).code, 0);
  const manifestPath = join(dir, 'plugin.manifest.json');
  await npm(dir, 'run', 'build:image');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { byoc: { container: { digest: string; image: string } } };
  const [saved] = await dockerSaveImages(join(dir, 'image', 'app.tar'));
  t.equal(manifest.byoc.container.digest, saved!.id, 'the digest in the manifest is the archive\'s image id');
  t.same(saved!.repoTags, ['text-upper:0.1.0']);
  t.not(manifest.byoc.container.digest, `sha256:${'0'.repeat(64)}`);

  const own = await npm(dir, 'test');
  t.match(own.stdout, /# pass 1\n# fail 0/, 'the generated project\'s own tests pass');

  const pass = await runCli('plugin', 'test', dir, '--docker-host', dockerHost);
  t.equal(pass.code, 0, `${pass.stdout}\n${pass.stderr}`);
  for (const step of ['manifest', 'image archive', 'image loads into the node', 'container starts', 'conformance: a valid request succeeds in the declared mode', 'conformance: input the schema forbids is refused with a 4xx', 'own tests \\(npm test\\)']) {
    t.match(pass.stdout, new RegExp(`^ok   ${step}`, 'm'), step);
  }
  const booted = /^ok   local network: orchestrator installs the plugin from a local registry and hosts the app\n\s+text-upper@0\.1\.0 from (\S+); orchestrator (https:\/\/127\.0\.0\.1:\d+), gateway (http:\/\/127\.0\.0\.1:\d+)$/m.exec(pass.stdout);
  t.ok(booted, 'the orchestrator installed the published plugin by version');
  t.match(pass.stdout, /^ok   local network: a job for byoc\/text-upper through the gateway\n\s+200: \{"text":"LPX CONFORMANCE"\}/m, "the gateway routed the job to the hosted app and returned its answer");
  t.match(pass.stdout, /^ok   local network: a Live Runner call at \/apps\/text-upper\/ \(single-shot\)\n\s+single-shot 200: \{"text":"LPX CONFORMANCE"\}/m, 'a request-response app is a single-shot Live Runner');
  t.match(pass.stdout, /^13 passed, 0 failed, 0 skipped$/m);
  // Torn down: the registry's temp dir is gone, neither node listens, no container of the app is left.
  const [, registry, orchestratorUri, gatewayUrl] = booted!;
  t.notOk(existsSync(registry!), 'the temp registry (and the nodes\' data dirs beside it) are removed');
  for (const url of [orchestratorUri!, gatewayUrl!]) {
    const refused = await fetch(url).then(() => 'answered', (error: Error & { cause?: { code?: string } }) => error.cause?.code);
    t.equal(refused, 'ECONNREFUSED', `${url} is closed`);
  }
  const left = await exec('docker', ['ps', '-aq', '--filter', 'ancestor=text-upper:0.1.0'], { env });
  t.equal(left.stdout.trim(), '', 'no container of the app is left on the engine');
  const skipped = await runCli('plugin', 'test', dir, '--docker-host', dockerHost, '--no-network', '--json');
  t.equal(skipped.code, 0, skipped.stdout);
  t.match((JSON.parse(skipped.stdout) as { steps: { name: string; status: string; detail?: string }[] }).steps.filter((s) => s.name.startsWith('local network')), [
    { name: 'local network: gateway and orchestrator', status: 'skipped', detail: '--no-network' },
  ]);

  t.test("--config runs it on that node's runtime, and the project's tests on the same engine", async (t) => {
    const config = join(root, 'node.yaml');
    await writeFile(config, `node:\n  dataDir: ${JSON.stringify(join(root, 'node-data'))}\nplugins:\n  runtime-docker:\n    config:\n      host: ${JSON.stringify(dockerHost)}\n`);
    const { DOCKER_HOST: _unset, ...withoutDockerHost } = process.env;
    const saved = process.env;
    process.env = withoutDockerHost;
    t.teardown(() => {
      process.env = saved;
    });
    const run = await runCli('plugin', 'test', dir, '--config', config, '--json', '--no-network');
    t.equal(run.code, 0, run.stdout);
    const report = JSON.parse(run.stdout) as { ok: boolean; steps: { name: string; status: string }[] };
    t.equal(report.ok, true);
    t.match(report.steps.find((s) => s.name === 'own tests (npm test)'), { status: 'passed' });
  });

  t.test("published to a local registry, an operator's node installs it by name and gets its app", async (t) => {
    // Stands in for the BYOC host plugin (built in parallel): owns byoc.apps and records what is added.
    const apps: ByocAppContribution[] = [];
    const byocHostDouble = definePlugin({
      manifest: { id: 'byoc-host-double', version: '0.1.0', host: '^0.1.0', provides: { extensionPoints: [byocAppsExtensionPoint.id] } },
      register: (registrar) => {
        registrar.registerExtensionPoint(byocAppsExtensionPoint, { addApp: (app) => void apps.push(app) });
        registrar.registerInit({ deps: {}, init: () => undefined });
      },
    });
    const registry = join(root, 'registry');
    t.equal((await publishToLocalRegistry(registry, dir)).status, 'published');
    const host = makeHost(t, [byocHostDouble], { node: { roles: [] }, http: { enabled: false }, registry: { dir: registry }, plugins: { 'text-upper': { version: '^0.1.0' } } });
    await host.start();
    t.equal(apps.length, 1);
    const [app] = apps;
    t.match(app, { pluginId: 'text-upper', pluginVersion: '0.1.0', spec: { name: 'text-upper', container: { digest: manifest.byoc.container.digest } } });
    const [installed] = await dockerSaveImages(join(app!.packageDir, app!.spec.container!.archive!));
    t.equal(installed!.id, manifest.byoc.container.digest, 'the installed package carries the pinned image');
  });

  t.test('an sse project passes as generated', async (t) => {
    const words = join(root, 'words');
    t.equal((await runCli('plugin', 'init', 'byoc', 'words', '--dir', words, '--mode', 'sse')).code, 0);
    await npm(words, 'run', 'build:image');
    const run = await runCli('plugin', 'test', words, '--docker-host', dockerHost);
    t.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    t.match(run.stdout, /^ok   conformance: a valid request succeeds in the declared mode$/m);
    t.match(run.stdout, /^ok   local network: a job for byoc\/words through the gateway\n\s+200: data: \{"word":"LPX"\}/m, 'the event stream came back through the gateway');
    t.match(run.stdout, /^ok   local network: a Live Runner call at \/apps\/words\/ \(persistent\)\n\s+session session_\w+ 200: data: \{"word":"LPX"\}/m, 'an sse app is called in a Live Runner session');
    t.match(run.stdout, /^ok   own tests \(npm test\)$/m);
  });

  t.test('a broken app fails the conformance suite and its own tests', async (t) => {
    const cgi = join(dir, 'container/www/cgi-bin/index.cgi');
    const good = await readFile(cgi, 'utf8');
    t.teardown(() => writeFile(cgi, good));
    // Answers every request 200 in plain text: neither JSON nor a refusal of bad input.
    await writeFile(cgi, '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\nhello\\n"\n', { mode: 0o755 });
    await npm(dir, 'run', 'build:image');
    const run = await runCli('plugin', 'test', dir, '--docker-host', dockerHost, '--json', '--no-network');
    t.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as { ok: boolean; steps: { name: string; status: string; detail?: string }[]; error: { code: string; message: string } };
    t.equal(report.ok, false);
    t.equal(report.error.code, 'LPX_ERR_BYOC_PLUGIN_TEST_FAILED');
    t.same(report.steps.filter((s) => s.status === 'failed').map((s) => s.name), ['conformance: a valid request succeeds in the declared mode', 'conformance: input the schema forbids is refused with a 4xx', 'own tests (npm test)']);
    t.match(report.error.message, /3 of \d+ steps failed in .*text-upper: conformance: a valid request/);
    await writeFile(cgi, good);
    await npm(dir, 'run', 'build:image');
  });

  t.test('an app that answers health but fails requests fails the local network steps, saying how', async (t) => {
    const cgi = join(dir, 'container/www/cgi-bin/index.cgi');
    const good = await readFile(cgi, 'utf8');
    t.teardown(async () => {
      await writeFile(cgi, good);
      await npm(dir, 'run', 'build:image');
    });
    await writeFile(cgi, '#!/bin/sh\nprintf "Status: 500 Internal Server Error\\r\\nContent-Type: text/plain\\r\\n\\r\\nboom\\n"\n', { mode: 0o755 });
    await npm(dir, 'run', 'build:image');
    const run = await runCli('plugin', 'test', dir, '--docker-host', dockerHost, '--json');
    t.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as { ok: boolean; steps: { name: string; status: string; detail?: string }[] };
    const network = report.steps.filter((s) => s.name.startsWith('local network'));
    t.match(network, [
      { name: 'local network: orchestrator installs the plugin from a local registry and hosts the app', status: 'passed' },
      {
        name: 'local network: a job for byoc/text-upper through the gateway',
        status: 'failed',
        detail: /^POST \/v1\/jobs\/byoc\/text-upper \{"text":"lpx conformance"\} answered 502: LPX_ERR_JOBS_FAILED: .*\/process\/request\/ answered 500: boom/,
      },
      { name: 'local network: a Live Runner call at /apps/text-upper/ (single-shot)', status: 'failed', detail: 'POST /apps/text-upper/app/ {"text":"lpx conformance"} answered 500: boom\n' },
    ]);
    t.equal(network.length, 3);
    const left = await exec('docker', ['ps', '-aq', '--filter', 'ancestor=text-upper:0.1.0'], { env });
    t.equal(left.stdout.trim(), '', 'torn down after a failure too');
  });

  t.test('a stale digest or a missing archive is refused before anything runs', async (t) => {
    const text = await readFile(manifestPath, 'utf8');
    t.teardown(() => writeFile(manifestPath, text));
    const stale = JSON.parse(text) as typeof manifest;
    stale.byoc.container.digest = `sha256:${'1'.repeat(64)}`;
    await writeFile(manifestPath, JSON.stringify(stale));
    const run = await runCli('plugin', 'test', dir, '--docker-host', dockerHost);
    t.equal(run.code, 1);
    t.match(run.stdout, /^FAIL image archive\n\s+image\/app\.tar holds text-upper:0\.1\.0 as sha256:[0-9a-f]{64}, but the manifest pins sha256:1{64}: run npm run build:image again/m);
    t.notMatch(run.stdout, /container starts/, 'no container was started');
    t.match(run.stderr, /error LPX_ERR_BYOC_PLUGIN_TEST_FAILED: 2 of 4 steps failed .*: image archive; own tests \(npm test\)/);

    await writeFile(manifestPath, text);
    await rm(join(dir, 'image'), { recursive: true });
    const missing = await runCli('plugin', 'test', dir, '--docker-host', dockerHost);
    t.equal(missing.code, 1);
    t.match(missing.stdout, /^FAIL image archive\n\s+image\/app\.tar does not exist: run npm run build:image/m);
  });
});
