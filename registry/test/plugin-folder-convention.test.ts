import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { collectPluginFiles, entryModulePath, publishToLocalRegistry } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { fixtureManifest, fixturePluginFolder, type FixtureDir } from './helpers/fixture-plugin.js';

async function paths(root: string): Promise<string[]> {
  return (await collectPluginFiles(root)).map((file) => file.path).sort();
}

t.test('without "files": everything but node_modules, dot entries, tarballs and symlinks', async (t) => {
  const dir = t.testdir({
    ...fixturePluginFolder({ extraFiles: { lib: { 'util.mjs': 'export {}' }, node_modules: { dep: { 'index.js': '' } }, '.git': { HEAD: '' }, '.env': 'SECRET=1', 'old.tgz': '' } }),
    link: t.fixture('symlink', 'index.mjs'),
  });
  t.same(await paths(dir), ['index.mjs', 'lib/util.mjs', 'package.json', 'plugin.manifest.json']);
});

t.test('with "files": the listed paths plus package.json and plugin.manifest.json', async (t) => {
  const dir = t.testdir(fixturePluginFolder({ packageJson: { files: ['index.mjs', 'lib'] }, extraFiles: { lib: { 'a.mjs': '', deep: { 'b.mjs': '' } }, 'notes.txt': '' } }));
  t.same(await paths(dir), ['index.mjs', 'lib/a.mjs', 'lib/deep/b.mjs', 'package.json', 'plugin.manifest.json']);
});

t.test('a missing "files" path or one outside the folder is refused', async (t) => {
  const missing = t.testdir(fixturePluginFolder({ packageJson: { files: ['dist/*.js'] } }));
  t.match((await catchError(() => collectPluginFiles(missing))).message, '"dist/*.js" does not exist (globs are not supported)');
  const outside = t.testdir(fixturePluginFolder({ packageJson: { files: ['../elsewhere'] } }));
  t.match((await catchError(() => collectPluginFiles(outside))).message, 'is outside the plugin folder');
  const notArray = t.testdir(fixturePluginFolder({ packageJson: { files: 'index.mjs' } }));
  t.ok(errors.registry.PACKAGE_INVALID.is(await catchError(() => collectPluginFiles(notArray))));
});

t.test('publishing a folder that breaks the convention fails with a coded, specific error', async (t) => {
  const folder = fixturePluginFolder();
  const without = (name: string): FixtureDir => Object.fromEntries(Object.entries(folder).filter(([key]) => key !== name));
  const dir = t.testdir({
    'no-package-json': without('package.json'),
    'no-manifest': without('plugin.manifest.json'),
    'no-entry-field': fixturePluginFolder({ packageJson: { exports: undefined } }),
    'entry-not-packed': fixturePluginFolder({ packageJson: { main: './dist/index.js', exports: undefined } }),
    'version-mismatch': fixturePluginFolder({ packageJson: { version: '9.9.9' } }),
    'bad-manifest': fixturePluginFolder({ manifest: fixtureManifest({ host: 'soon' }) }),
    'manifest-not-json': { ...folder, 'plugin.manifest.json': '{ nope' },
    registry: {},
  });
  const root = join(dir, 'registry');
  const cases: Array<[string, string, RegExp]> = [
    ['no-package-json', 'LPX_ERR_REGISTRY_PACKAGE_INVALID', /cannot read package\.json/],
    ['no-manifest', 'LPX_ERR_REGISTRY_PACKAGE_INVALID', /has no plugin\.manifest\.json/],
    ['no-entry-field', 'LPX_ERR_REGISTRY_PACKAGE_INVALID', /needs "exports" or "main"/],
    ['entry-not-packed', 'LPX_ERR_REGISTRY_PACKAGE_INVALID', /entry module "dist\/index\.js" named by package\.json is not in the package/],
    ['version-mismatch', 'LPX_ERR_REGISTRY_PACKAGE_INVALID', /package\.json version "9\.9\.9" differs from plugin\.manifest\.json version "1\.0\.0"/],
    ['bad-manifest', 'LPX_ERR_PLUGIN_MANIFEST_INVALID', /bad-manifest[/\\]plugin\.manifest\.json\) is invalid[^]*\/host: expected a valid semver range/],
    ['manifest-not-json', 'LPX_ERR_REGISTRY_PACKAGE_INVALID', /plugin\.manifest\.json is not valid JSON/],
  ];
  for (const [name, code, message] of cases) {
    const error = await catchError(() => publishToLocalRegistry(root, join(dir, name)));
    t.equal(error.code, code, `${name}: ${code}`);
    t.match(error.message, message, `${name}: names the problem`);
  }
  t.same(await import('node:fs/promises').then((fs) => fs.readdir(root)), [], 'nothing was published');
});

t.test('a symlinked plugin folder is still packed', async (t) => {
  const dir = t.testdir({ real: fixturePluginFolder(), registry: {} });
  await symlink(join(dir, 'real'), join(dir, 'linked'));
  t.equal((await publishToLocalRegistry(join(dir, 'registry'), join(dir, 'linked'))).status, 'published');
});

t.test('entryModulePath follows exports (subpath map, conditions, arrays) before main', async (t) => {
  t.equal(entryModulePath({ exports: './a.mjs', main: 'b.js' }), 'a.mjs');
  t.equal(entryModulePath({ exports: { '.': { types: './x.d.ts', import: './esm.mjs', require: './cjs.cjs' }, './other': './o.js' } }), 'esm.mjs');
  t.equal(entryModulePath({ exports: { node: './node.mjs', default: './d.mjs' } }), 'node.mjs');
  t.equal(entryModulePath({ exports: { '.': [{ import: './first.mjs' }, './second.mjs'] } }), 'first.mjs');
  t.equal(entryModulePath({ exports: { '.': [{ worker: './w.mjs' }, './second.mjs'] } }), 'second.mjs');
  t.equal(entryModulePath({ exports: { './sub': './s.js' } }), undefined, 'no "." export');
  t.equal(entryModulePath({ main: 'lib/index.js' }), 'lib/index.js');
  t.equal(entryModulePath({ main: '../outside.js' }), undefined, 'must stay inside the package');
  t.equal(entryModulePath({ main: '/etc/passwd' }), undefined);
  t.equal(entryModulePath({ exports: { '.': { require: './cjs.cjs' } } }), undefined, 'require-only is not importable as ESM here');
  t.equal(entryModulePath({}), undefined);
});
