import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { errors, HOST_API_VERSION } from '@lpx/sdk';
import { packPluginFolder, publishToHttpRegistry, serveRegistry } from '@lpx/registry';
import type { Test } from 'tap';
import { Host } from '../../src/boot/host.js';
import { loadConfig } from '../../src/config/load-config.js';
import { fixtureManifest, fixturePluginFolder } from '../../../registry/test/helpers/fixture-plugin.js';

// A node whose config names `registry.url` mirrors the plugins it asks for
// from an HTTP registry (a real `serveRegistry` on a free port), then boots
// them exactly as from a local registry folder.

const TOKEN = 'boot-test-token';
const manifest = (version: string) => fixtureManifest({ id: 'greeter', version, host: `^${HOST_API_VERSION}`, capabilities: [] });

async function registryWith(t: Test, versions: string[]): Promise<{ url: string; root: string; dir: string }> {
  const dir = t.testdir(Object.fromEntries([...versions.map((v) => [`v${v}`, fixturePluginFolder({ manifest: manifest(v) })]), ['registry', {}]]));
  const root = join(dir, 'registry');
  const served = await serveRegistry({ root, publishTokens: [TOKEN], port: 0 });
  t.teardown(() => served.close());
  for (const v of versions) await publishToHttpRegistry(served.url, await packPluginFolder(join(dir, `v${v}`)), { token: TOKEN });
  return { url: served.url, root, dir };
}

/** A worker node on its own data dir, with `registry` and `plugins` from the test; stopped at teardown. */
function node(t: Test, raw: Record<string, unknown>): { host: Host; dataDir: string } {
  // Not t.testdir: that is one folder per test, and the registry already lives there.
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-registry-boot-'));
  const host = new Host({
    config: loadConfig({
      raw: { log: { level: process.env.LPX_TEST_LOG ?? 'silent' }, http: { port: 0 }, ...raw, node: { roles: ['worker'], dataDir } },
      env: process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {},
    }),
    plugins: [],
  });
  t.teardown(async () => {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { host, dataDir };
}

t.test('a node boots a plugin from an HTTP registry named by registry.url', async (t) => {
  const { url } = await registryWith(t, ['1.0.0', '1.1.0', '2.0.0']);
  const { host, dataDir } = node(t, { registry: { url }, plugins: { greeter: { version: '^1.0.0' } } });
  await host.start();
  t.equal(host.state, 'ready');
  const listed = await host.http.inject({ method: 'GET', url: '/readyz' });
  t.equal(listed.statusCode, 200);
  t.same(await readdir(join(dataDir, 'registry-mirror', 'greeter')), ['1.1.0'], 'only the resolved version is mirrored');
  t.same(await readdir(join(dataDir, 'plugins-installed', 'greeter')), ['1.1.0'], 'and installed from the mirror');
});

t.test('with registry.url the mirror is kept in the data dir; url and dir together are refused', async (t) => {
  const { url, dir } = await registryWith(t, ['1.0.0']);
  const { host: both } = node(t, { registry: { url, dir: join(dir, 'kept-mirror') }, plugins: { greeter: { version: '*' } } });
  const error = await both.start().then(() => undefined, (e: unknown) => e as Error);
  t.ok(errors.config.INVALID.is(error), String(error));
  t.match(error?.message, /either registry.dir .* or registry.url/);
});

t.test('a node does not boot when the HTTP registry cannot serve what the config asks for', async (t) => {
  const { url } = await registryWith(t, ['1.0.0']);
  const { host: missing } = node(t, { registry: { url }, plugins: { greeter: { version: '^3.0.0' } } });
  const error = await missing.start().then(() => undefined, (e: unknown) => e as Error);
  t.ok(errors.registry.RESOLVE_FAILED.is(error), String(error));
  t.match(error?.message, /could not be mirrored from .*: .*LPX_ERR_REGISTRY_ENTRY_MISSING/s);

  const closed = await serveRegistry({ root: join(tmpdir(), 'lpx-no-registry'), port: 0 });
  await closed.close();
  const { host: down } = node(t, { registry: { url: closed.url }, plugins: { greeter: { version: '*' } } });
  const unreachable = await down.start().then(() => undefined, (e: unknown) => e as Error);
  t.ok(errors.registry.RESOLVE_FAILED.is(unreachable));
  t.match(unreachable?.message, /LPX_ERR_REGISTRY_REMOTE_FAILED: GET http:\/\/127\.0\.0\.1:\d+\/v1\/plugins\/greeter failed/);
});
