import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { errors, isPluginDefinition } from '@lpx/sdk';
import { installResolvedPlugin, listRegistry, publishToLocalRegistry, resolvePlugin, sha512Integrity } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { fixtureManifest, fixturePluginFolder } from './helpers/fixture-plugin.js';

t.test('publish → resolve → install → import gives a PluginDefinition', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), registry: {}, installed: {} });
  const root = join(dir, 'registry');

  const published = await publishToLocalRegistry(root, join(dir, 'plugin'));
  t.equal(published.status, 'published');
  const entryDir = join(root, 'hello-world', '1.0.0');
  t.same((await readdir(entryDir)).sort(), ['integrity', 'manifest.json', 'package.tgz'], 'the entry layout');
  const tgz = await readFile(join(entryDir, 'package.tgz'));
  t.equal((await readFile(join(entryDir, 'integrity'), 'utf8')).trim(), sha512Integrity(tgz), 'integrity is the SRI of package.tgz');
  t.match((await readFile(join(entryDir, 'integrity'), 'utf8')), /^sha512-[A-Za-z0-9+/]+=*\n$/);
  t.same(JSON.parse(await readFile(join(entryDir, 'manifest.json'), 'utf8')), fixtureManifest());

  const entry = await resolvePlugin(root, 'hello-world', '^1.0.0');
  t.same(entry, published.entry);
  const installed = await installResolvedPlugin(entry, join(dir, 'installed'));
  t.equal(installed.dir, join(dir, 'installed', 'hello-world', '1.0.0'));
  t.equal(fileURLToPath(installed.entryUrl), join(installed.dir, 'index.mjs'));
  t.same((await readdir(installed.dir)).sort(), ['index.mjs', 'package.json', 'plugin.manifest.json']);
  t.same(installed.manifest, fixtureManifest());

  const module = (await import(installed.entryUrl)) as { default: unknown };
  t.ok(isPluginDefinition(module.default), 'default export is a PluginDefinition');
  t.same((module.default as { manifest: unknown }).manifest, installed.manifest);
});

t.test('the tarball is npm-pack style: everything under package/', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), registry: {} });
  const { entry } = await publishToLocalRegistry(join(dir, 'registry'), join(dir, 'plugin'));
  const tgz = await readFile(entry.tarballPath);
  t.equal(tgz[0], 0x1f, 'gzip magic');
  const { gunzipSync } = await import('node:zlib');
  const tar = gunzipSync(tgz);
  t.equal(tar.subarray(0, 20).toString('utf8').replace(/\0.*$/s, ''), 'package/index.mjs', 'first entry, sorted');
  t.equal(tar.subarray(257, 262).toString('utf8'), 'ustar');
});

t.test('re-publishing identical content is a no-op; different content is a conflict', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), changed: fixturePluginFolder({ entrySource: 'export default 1;\n' }), registry: {} });
  const root = join(dir, 'registry');
  const first = await publishToLocalRegistry(root, join(dir, 'plugin'));
  const tarball = join(root, 'hello-world', '1.0.0', 'package.tgz');
  const before = await stat(tarball);

  const again = await publishToLocalRegistry(root, join(dir, 'plugin'));
  t.equal(again.status, 'unchanged');
  t.same(again.entry, first.entry);
  t.equal((await stat(tarball)).mtimeMs, before.mtimeMs, 'the entry was not rewritten');

  const error = await catchError(() => publishToLocalRegistry(root, join(dir, 'changed')));
  t.ok(errors.registry.PUBLISH_CONFLICT.is(error), 'LPX_ERR_REGISTRY_PUBLISH_CONFLICT');
  t.match(error.message, /hello-world[/\\]1\.0\.0 already holds different content \(sha512-.+\) than the release being published \(sha512-.+\)/);
  t.equal(sha512Integrity(await readFile(tarball)), first.entry.integrity, 'the published entry is untouched');
});

t.test('resolve picks the highest version in range and lists what exists when none fits', async (t) => {
  const dir = t.testdir({
    a: fixturePluginFolder({ manifest: fixtureManifest({ version: '1.0.0' }) }),
    b: fixturePluginFolder({ manifest: fixtureManifest({ version: '1.4.2' }) }),
    c: fixturePluginFolder({ manifest: fixtureManifest({ version: '2.0.0' }) }),
    d: fixturePluginFolder({ manifest: fixtureManifest({ version: '1.5.0-beta.1' }) }),
    e: fixturePluginFolder({ manifest: fixtureManifest({ id: 'other', version: '0.1.0' }) }),
    registry: {},
  });
  const root = join(dir, 'registry');
  for (const name of ['a', 'b', 'c', 'd', 'e']) await publishToLocalRegistry(root, join(dir, name));

  t.equal((await resolvePlugin(root, 'hello-world', '^1.0.0')).version, '1.4.2', 'prereleases are not picked by a plain range');
  t.equal((await resolvePlugin(root, 'hello-world', '^1.5.0-beta.0')).version, '1.5.0-beta.1', 'unless the range names one');
  t.equal((await resolvePlugin(root, 'hello-world', '*')).version, '2.0.0');

  const missing = await catchError(() => resolvePlugin(root, 'hello-world', '^3.0.0'));
  t.ok(errors.registry.ENTRY_MISSING.is(missing), 'LPX_ERR_REGISTRY_ENTRY_MISSING');
  t.match(missing.message, 'no version of plugin "hello-world"');
  t.match(missing.message, 'satisfies "^3.0.0"; available: 1.0.0, 1.4.2, 1.5.0-beta.1, 2.0.0');
  t.same(missing.details?.['available'], ['1.0.0', '1.4.2', '1.5.0-beta.1', '2.0.0']);

  const unknown = await catchError(() => resolvePlugin(root, 'nobody', '*'));
  t.match(unknown.message, /"nobody".*no versions of it are published there/);
  t.ok(errors.registry.ENTRY_MISSING.is(await catchError(() => resolvePlugin(root, '../escape', '*'))), 'ids are checked before they become paths');
  t.match((await catchError(() => resolvePlugin(root, 'other', 'not a range'))).message, '"not a range" is not a valid semver range');

  const listed = await listRegistry(root);
  t.same(listed.map((entry) => `${entry.id}@${entry.version}`), ['hello-world@1.0.0', 'hello-world@1.4.2', 'hello-world@1.5.0-beta.1', 'hello-world@2.0.0', 'other@0.1.0']);
  t.same(await listRegistry(join(dir, 'no-such-folder')), [], 'a missing registry folder is empty');
});

t.test('concurrent publishes of one version: identical content all succeed, different content conflicts', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), changed: fixturePluginFolder({ entrySource: 'export default 2;\n' }), registry: {} });
  const root = join(dir, 'registry');
  const same = await Promise.all(Array.from({ length: 4 }, () => publishToLocalRegistry(root, join(dir, 'plugin'))));
  t.same(same.map((r) => r.status).sort(), ['published', 'unchanged', 'unchanged', 'unchanged'], 'exactly one wrote the entry');
  t.equal(new Set(same.map((r) => r.entry.integrity)).size, 1, 'one content, one integrity');
  t.same(await readdir(join(root, 'hello-world')), ['1.0.0'], 'no staging folders left behind');

  const racing = await Promise.allSettled([publishToLocalRegistry(root, join(dir, 'changed')), publishToLocalRegistry(root, join(dir, 'changed'))]);
  t.ok(racing.every((r) => r.status === 'rejected' && errors.registry.PUBLISH_CONFLICT.is(r.reason)), 'the published version stays immutable');
});

t.test('publishing over a half-made entry folder is refused, not papered over', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), registry: { 'hello-world': { '1.0.0': { 'manifest.json': '{}' } } } });
  const error = await catchError(() => publishToLocalRegistry(join(dir, 'registry'), join(dir, 'plugin')));
  t.ok(errors.registry.ENTRY_INVALID.is(error));
  t.match(error.message, /exists but has no readable package\.tgz; remove the folder and publish again/);
});
