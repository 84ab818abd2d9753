import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { HOST_API_VERSION, type PluginManifest } from '@lpx/sdk';
import { generateKey, publishToLocalRegistry, readEntry, reviewRelease, revokeKey, signRelease } from '@lpx/registry';
import { Host } from '../../src/boot/host.js';
import { loadConfig } from '../../src/config/load-config.js';
import { provideRegistryMirror } from '../../src/plugins/registry-origin.js';

const capability = { id: 'byoc/hello', version: 1, mode: 'request-response' as const, workUnit: 'request', priceUnit: 'wei/request', capacity: 2 };
const publisher = generateKey('ed25519', 'publisher');
const reviewer = generateKey('secp256k1', 'reviewer');

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-registry-trust-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A real registry plugin: its code imports the host's sdk and serves byoc/hello through the kernel's jobs. */
async function publishHello(t: Test, registry: string, version = '1.0.0'): Promise<void> {
  const manifest: PluginManifest = { id: 'hello', version, host: `^${HOST_API_VERSION}`, description: 'registry fixture', requires: { services: ['core.jobs'] }, capabilities: [capability] };
  const folder = tempDir(t);
  await writeFile(join(folder, 'package.json'), JSON.stringify({ name: '@fixture/hello', version, type: 'module', exports: './index.mjs', peerDependencies: { '@lpx/sdk': '*' } }));
  await writeFile(join(folder, 'plugin.manifest.json'), JSON.stringify(manifest));
  await writeFile(
    join(folder, 'index.mjs'),
    [
      "import { coreServices, definePlugin } from '@lpx/sdk';",
      `const manifest = ${JSON.stringify(manifest)};`,
      "export default definePlugin({ manifest, register(reg) { reg.registerInit({ deps: { jobs: coreServices.jobs }, init({ jobs }) { jobs.registerProcessor('byoc/hello', async () => 'hi'); } }); } });",
      '',
    ].join('\n'),
  );
  await publishToLocalRegistry(registry, folder);
}

interface Node {
  readonly host: Host;
  readonly dir: string;
  readonly dataDir: string;
}

/** A Host from a real config file (so the default lockfile lands next to it), not started. */
async function nodeWith(t: Test, registry: Record<string, unknown>): Promise<Node> {
  const dir = tempDir(t);
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  const config = {
    log: { level: process.env.LPX_TEST_LOG ?? 'silent' },
    http: { port: 0 },
    node: { roles: ['worker'], dataDir },
    registry,
    plugins: { hello: { version: '^1.0.0' } },
  };
  await writeFile(join(dir, 'node.json'), JSON.stringify(config));
  const host = new Host({ config: loadConfig({ file: join(dir, 'node.json'), env: process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {} }) });
  t.teardown(() => host.stop());
  return { host, dir, dataDir };
}

async function installed(dataDir: string): Promise<string[]> {
  return (await readdir(join(dataDir, 'plugins-installed', 'hello')).catch(() => [] as string[])).filter((name) => !name.startsWith('.'));
}

const trust = { publishers: [publisher.keyId], reviewers: [reviewer.keyId] };

t.test('boot refuses a plugin the trust policy does not accept, installing nothing', async (t) => {
  const registry = tempDir(t);
  await publishHello(t, registry);
  const unsigned = await nodeWith(t, { dir: registry, trust });
  await t.rejects(unsigned.host.start(), { code: 'LPX_ERR_REGISTRY_RESOLVE_FAILED', message: /LPX_ERR_REGISTRY_UNTRUSTED: plugin "hello"@1\.0\.0 is unsigned/ });
  t.same(await installed(unsigned.dataDir), []);

  await signRelease(await readEntry(registry, 'hello', '1.0.0'), publisher);
  const pending = await nodeWith(t, { dir: registry, trust });
  await t.rejects(pending.host.start(), { message: /LPX_ERR_REGISTRY_NOT_APPROVED: plugin "hello"@1\.0\.0 is pending/ });
  t.same(await installed(pending.dataDir), []);
});

t.test('a signed, approved plugin boots and is locked; revoked later, the running node withdraws its capability', async (t) => {
  const registry = tempDir(t);
  await publishHello(t, registry);
  const entry = await readEntry(registry, 'hello', '1.0.0');
  await signRelease(entry, publisher);
  await reviewRelease(entry, 'approved', reviewer);
  const { host, dir, dataDir } = await nodeWith(t, { dir: registry, trust, refreshMs: 60_000 });
  await host.start();
  t.same(await installed(dataDir), ['1.0.0']);
  const lock = JSON.parse(await readFile(join(dir, 'lpx-plugins.lock'), 'utf8')) as { plugins: Record<string, { version: string; signedBy: string[]; source: string }> };
  t.match(lock.plugins['hello'], { version: '1.0.0', signedBy: [publisher.keyId], source: registry });
  t.equal(host.capabilities.available('byoc/hello'), 2);
  t.same(await host.revocations.check(), [], 'nothing revoked yet');

  await reviewRelease(entry, 'revoked', reviewer, 'exfiltrates prompts');
  const [revoked] = await host.revocations.check();
  t.match(revoked, { id: 'hello', version: '1.0.0', capabilities: ['byoc/hello'], reason: /revoked by eth:0x[0-9a-f]{40} \(exfiltrates prompts\)/ });
  t.same(host.revocations.revoked().map((r) => r.id), ['hello']);
  const ready = (await host.http.inject({ method: 'GET', url: '/readyz' })).json() as { status: string; checks: Record<string, string> };
  t.match(ready, { status: 'ready', checks: { 'plugin:hello': 'revoked (1.0.0)' } }, 'operators see it in /readyz; the node stays ready');
  t.equal(host.capabilities.available('byoc/hello'), 0, 'no capacity: no new job is routed to it');
  t.throws(() => host.capabilities.reserve('byoc/hello'), { code: 'LPX_ERR_CAPABILITY_NO_CAPACITY' });
  (host.capabilities as unknown as { setCapacity(id: string, n: number): void }).setCapacity('byoc/hello', 5);
  t.equal(host.capabilities.available('byoc/hello'), 0, 'capacity raised later (a worker joining) is held at 0');
  t.same(await host.revocations.check(), [], 'a revoked plugin is reported once');
});

t.test('the watch runs by itself every registry.refreshMs; a revoked publisher key counts too', async (t) => {
  const registry = tempDir(t);
  await publishHello(t, registry);
  const entry = await readEntry(registry, 'hello', '1.0.0');
  await signRelease(entry, publisher);
  await reviewRelease(entry, 'approved', reviewer);
  const { host } = await nodeWith(t, { dir: registry, trust, refreshMs: 1000 });
  await host.start();
  const withdrawn = new Promise<void>((resolve) => {
    const capabilities = host.capabilities as unknown as { on(e: 'capacity', fn: (c: { capabilityId: string; capacity: number }) => void): void };
    capabilities.on('capacity', (change) => {
      if (change.capabilityId === 'byoc/hello' && change.capacity === 0) resolve();
    });
  });
  await revokeKey(registry, publisher.keyId, 'key leaked');
  await withdrawn;
  t.match(host.revocations.revoked(), [{ id: 'hello', reason: /signed only by revoked key/ }]);
});

t.test('a lockfile pins the version at boot; the lock beats a newer release', async (t) => {
  const registry = tempDir(t);
  await publishHello(t, registry);
  const first = await nodeWith(t, { dir: registry });
  await first.host.start();
  await first.host.stop();
  await publishHello(t, registry, '1.1.0');
  const lockfile = join(first.dir, 'lpx-plugins.lock');
  const second = await nodeWith(t, { dir: registry, lockfile });
  await second.host.start();
  t.same(await installed(second.dataDir), ['1.0.0'], 'the locked version, not 1.1.0');
});

t.test('registry.url without an HTTP registry client is a coded config error', async (t) => {
  provideRegistryMirror(undefined);
  const node = await nodeWith(t, { url: 'http://127.0.0.1:9/registry' });
  await t.rejects(node.host.start(), { code: 'LPX_ERR_CONFIG_INVALID', message: /registry\.url \(http:\/\/127\.0\.0\.1:9\/registry\) is set but this build has no HTTP registry client/ });
});

t.test('registry.url and registry.dir together are a coded config error', async (t) => {
  const node = await nodeWith(t, { url: 'http://127.0.0.1:9/registry', dir: './registry' });
  await t.rejects(node.host.start(), { code: 'LPX_ERR_CONFIG_INVALID', message: /set either registry\.dir .* or registry\.url .*, not both/ });
});
