import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { installResolvedPlugin, publishToLocalRegistry, resolvePlugin, sha512Integrity } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { fixtureManifest, fixturePluginFolder } from './helpers/fixture-plugin.js';

async function listing(dir: string): Promise<string[]> {
  return readdir(dir, { recursive: true }).catch(() => []);
}

t.test('a tampered tarball is refused before anything is extracted', async (t) => {
  const dir = t.testdir({
    plugin: fixturePluginFolder(),
    evil: fixturePluginFolder({ entrySource: 'globalThis.pwned = true;\nexport default {};\n' }),
    registry: {},
    other: {},
    installed: {},
  });
  const root = join(dir, 'registry');
  const { entry } = await publishToLocalRegistry(root, join(dir, 'plugin'));
  // A well-formed package with different code, swapped in behind the recorded integrity.
  const { entry: evil } = await publishToLocalRegistry(join(dir, 'other'), join(dir, 'evil'));
  await copyFile(evil.tarballPath, entry.tarballPath);

  const resolved = await resolvePlugin(root, 'hello-world', '1.0.0');
  const error = await catchError(() => installResolvedPlugin(resolved, join(dir, 'installed')));
  t.ok(errors.registry.INTEGRITY_MISMATCH.is(error), 'LPX_ERR_REGISTRY_INTEGRITY_MISMATCH');
  t.match(error.message, `expected ${entry.integrity} but the file hashes to ${evil.integrity}`);
  t.match(error.message, 'plugin "hello-world"@1.0.0');
  t.same(error.details, { expected: [entry.integrity], actual: evil.integrity });
  t.same(await listing(join(dir, 'installed')), [], 'nothing was extracted');
  t.equal((globalThis as { pwned?: boolean }).pwned, undefined, 'nothing was imported');
});

t.test('the digest is checked on raw bytes, before the archive is even parsed', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), registry: {}, installed: {} });
  const { entry } = await publishToLocalRegistry(join(dir, 'registry'), join(dir, 'plugin'));
  await writeFile(entry.tarballPath, 'not a gzip file at all');
  const error = await catchError(() => installResolvedPlugin(entry, join(dir, 'installed')));
  t.ok(errors.registry.INTEGRITY_MISMATCH.is(error), 'integrity, not a parse error, is what fails');
  t.same(await listing(join(dir, 'installed')), []);
});

t.test('a manifest.json edited beside a valid tarball is refused', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), registry: {}, installed: {} });
  const root = join(dir, 'registry');
  const { entry } = await publishToLocalRegistry(root, join(dir, 'plugin'));
  // Widening the host range outside the tarball must not sneak past the integrity check.
  await writeFile(join(entry.dir, 'manifest.json'), JSON.stringify(fixtureManifest({ host: '*' })));
  const error = await catchError(async () => installResolvedPlugin(await resolvePlugin(root, 'hello-world', '*'), join(dir, 'installed')));
  t.ok(errors.registry.ENTRY_INVALID.is(error), 'LPX_ERR_REGISTRY_ENTRY_INVALID');
  t.match(error.message, 'manifest.json differs from the plugin.manifest.json inside its verified tarball');
  t.same(await listing(join(dir, 'installed')), []);
});

t.test('a correctly recorded SRI with several hashes is accepted if one sha512 matches', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), registry: {}, installed: {} });
  const { entry } = await publishToLocalRegistry(join(dir, 'registry'), join(dir, 'plugin'));
  const withExtra = { ...entry, integrity: `sha1-abc sha512-AAAA ${entry.integrity}` };
  const installed = await installResolvedPlugin(withExtra, join(dir, 'installed'));
  t.equal(installed.id, 'hello-world');
});

t.test('an integrity without sha512 is an invalid entry', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), registry: {} });
  const root = join(dir, 'registry');
  const { entry } = await publishToLocalRegistry(root, join(dir, 'plugin'));
  const tgz = await readFile(entry.tarballPath);
  await writeFile(join(entry.dir, 'integrity'), `sha1-${sha512Integrity(tgz).slice(7, 20)}\n`);
  const error = await catchError(() => resolvePlugin(root, 'hello-world', '*'));
  t.ok(errors.registry.ENTRY_INVALID.is(error));
  t.match(error.message, 'has no sha512 digest');
});

t.test('reinstalling replaces local edits in the install folder with verified content', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), registry: {}, installed: {} });
  const { entry } = await publishToLocalRegistry(join(dir, 'registry'), join(dir, 'plugin'));
  const first = await installResolvedPlugin(entry, join(dir, 'installed'));
  const original = await readFile(join(first.dir, 'index.mjs'), 'utf8');
  await writeFile(join(first.dir, 'index.mjs'), 'export default "edited";');
  await writeFile(join(first.dir, 'stray.js'), '');
  await installResolvedPlugin(entry, join(dir, 'installed'));
  t.equal(await readFile(join(first.dir, 'index.mjs'), 'utf8'), original);
  t.same((await readdir(first.dir)).sort(), ['index.mjs', 'package.json', 'plugin.manifest.json'], 'stray files are gone');
  t.same(await readdir(join(dir, 'installed', 'hello-world')), ['1.0.0'], 'no staging folders are left behind');
});

t.test('broken entries are reported as invalid entries', async (t) => {
  const dir = t.testdir({
    registry: {
      'no-tarball': { '1.0.0': { 'manifest.json': JSON.stringify(fixtureManifest({ id: 'no-tarball' })), integrity: 'sha512-AAAA' } },
      'bad-json': { '1.0.0': { 'manifest.json': '{', integrity: 'sha512-AAAA', 'package.tgz': '' } },
      'wrong-folder': { '1.0.0': { 'manifest.json': JSON.stringify(fixtureManifest({ id: 'hello-world' })), integrity: 'sha512-AAAA', 'package.tgz': '' } },
      'no-integrity': { '1.0.0': { 'manifest.json': JSON.stringify(fixtureManifest({ id: 'no-integrity' })), 'package.tgz': '' } },
    },
  });
  const root = join(dir, 'registry');
  const cases: Array<[string, RegExp]> = [
    ['no-tarball', /has no package\.tgz/],
    ['bad-json', /manifest\.json is not valid JSON/],
    ['wrong-folder', /describes "hello-world"@1\.0\.0 but sits in the folder for "wrong-folder"@1\.0\.0/],
    ['no-integrity', /has no readable integrity/],
  ];
  for (const [id, message] of cases) {
    const error = await catchError(() => resolvePlugin(root, id, '*'));
    t.ok(errors.registry.ENTRY_INVALID.is(error), `${id}: LPX_ERR_REGISTRY_ENTRY_INVALID`);
    t.match(error.message, message);
  }
});

t.test('a tarball removed after resolution is an invalid entry', async (t) => {
  const dir = t.testdir({ plugin: fixturePluginFolder(), registry: {}, installed: {} });
  const { entry } = await publishToLocalRegistry(join(dir, 'registry'), join(dir, 'plugin'));
  await rm(entry.tarballPath);
  const error = await catchError(() => installResolvedPlugin(entry, join(dir, 'installed')));
  t.ok(errors.registry.ENTRY_INVALID.is(error));
  t.match(error.message, 'cannot read');
});
