import t from 'tap';
import { resolvePluginsForNode } from '../src/index.js';
import { screenNpmInputs } from '../src/deps/lockfile-screen.js';
import { catchError } from './helpers/catch-error.js';
import { installedVersions, publishFixture, tempDir } from './helpers/trust-fixture.js';

const INTEGRITY = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;
const registryEntry = { version: '2.1.3', resolved: 'https://registry.npmjs.org/ms/-/ms-2.1.3.tgz', integrity: INTEGRITY };

function lock(packages: Record<string, unknown>, lockfileVersion = 3): string {
  return JSON.stringify({ name: 'p', version: '1.0.0', lockfileVersion, packages: { '': { name: 'p', version: '1.0.0' }, ...packages } });
}

const file = (path: string, text = '') => ({ path, content: Buffer.from(text), executable: false });
const deps = { dependencies: { ms: '^2.1.3' } };

t.test('registry tarballs with integrity, semver ranges, tags and npm: aliases pass', async (t) => {
  const packageJson = { dependencies: { ms: '^2.1.3', debug: 'latest', alias: 'npm:ms@2.1.3' } };
  t.same(screenNpmInputs([file('package.json')], packageJson, lock({ 'node_modules/ms': registryEntry, 'node_modules/ms/node_modules/x': { ...registryEntry, version: '1.0.0' } })), []);
  t.same(screenNpmInputs([], deps, lock({ 'node_modules/bundled': { version: '1.0.0', inBundle: true } })), [], 'bundled dependencies come from the signed tarball');
});

t.test('each way out of the registry is refused with the entry named', async (t) => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a link entry', { 'node_modules/evil': { link: true, resolved: '../../etc' } }, /"node_modules\/evil" is a link to a local folder/],
    ['a file: source', { 'node_modules/evil': { version: '1.0.0', resolved: 'file:../evil', integrity: INTEGRITY } }, /resolves to "file:..\/evil"/],
    ['a git source', { 'node_modules/evil': { version: '1.0.0', resolved: 'git+ssh://git@github.com/x/evil.git#abc' } }, /resolves to "git\+ssh/],
    ['plain http', { 'node_modules/evil': { version: '1.0.0', resolved: 'http://example.com/evil-1.0.0.tgz', integrity: INTEGRITY } }, /not an https registry tarball/],
    ['no integrity', { 'node_modules/evil': { version: '1.0.0', resolved: 'https://registry.npmjs.org/evil/-/evil-1.0.0.tgz' } }, /no sha256\/384\/512 integrity/],
    ['sha1 integrity', { 'node_modules/evil': { ...registryEntry, integrity: 'sha1-abc' } }, /no sha256\/384\/512 integrity/],
    ['a workspace folder', { 'packages/evil': { version: '1.0.0' } }, /outside node_modules/],
    ['the host sdk', { 'node_modules/@lpx/sdk': registryEntry }, /host sdk.*--legacy-peer-deps/],
  ];
  for (const [name, packages, reason] of cases) {
    const refusals = screenNpmInputs([], deps, lock(packages));
    t.equal(refusals.length, 1, name);
    t.match(`${refusals[0]?.where} ${refusals[0]?.reason}`, reason, name);
  }
});

t.test('package.json specs and files npm reads as configuration are refused', async (t) => {
  const packageJson = { dependencies: { a: 'file:../a', b: 'github:owner/b', c: 'owner/c', d: 'https://example.com/d.tgz', e: 'npm:x@file:../e', f: '^1.0.0' }, overrides: { g: 'link:../g' } };
  const refusals = screenNpmInputs([file('.npmrc', 'registry=https://evil.example/\n'), file('lib/.npmrc')], packageJson, lock({}));
  t.same(refusals.map((r) => r.where).sort(), ['.npmrc', 'lib/.npmrc', 'package.json dependencies a', 'package.json dependencies b', 'package.json dependencies c', 'package.json dependencies d', 'package.json dependencies e', 'package.json overrides g'].sort());
});

t.test('an old or broken lockfile is refused rather than guessed at', async (t) => {
  t.match(screenNpmInputs([], deps, lock({}, 1))[0]?.reason, /lockfileVersion 2 or 3/);
  t.match(screenNpmInputs([], deps, '{not json')[0]?.reason, /not valid JSON/);
  t.match(screenNpmInputs([], deps, lock({ 'node_modules/x': 'nope' }))[0]?.reason, /not an object/);
});

t.test('a plugin whose lockfile links outside the registry: DEPENDENCIES_FAILED before npm runs, nothing installed', async (t) => {
  const root = tempDir(t);
  const evilLock = lock({ 'node_modules/ms': { link: true, resolved: '../../../../../tmp' } });
  await publishFixture(t, root, {}, { entrySource: 'export default {};\n', packageJson: { dependencies: { ms: '2.1.3' }, peerDependencies: { '@lpx/sdk': '0.1.0' } }, extraFiles: { 'package-lock.json': evilLock } });
  const install = tempDir(t);
  const error = await catchError(() => resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.0.0' }], install));
  t.match(error.details, { failures: [{ code: 'LPX_ERR_REGISTRY_DEPENDENCIES_FAILED', message: /npm would install from outside the registry: package-lock.json "node_modules\/ms" is a link/ }] });
  t.same(await installedVersions(install), []);
});
