import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { resolvePluginsForNode } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { installedVersions, publishFixture, tempDir } from './helpers/trust-fixture.js';

// npm talks to the public registry: generous, for a loaded machine.
t.setTimeout(600_000);

const request = [{ id: 'hello-world', version: '^1.0.0' }];
const MS_INTEGRITY = 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==';
// The plugin's own code uses its dependency; it needs no sdk import to prove that.
const entrySource = "import ms from 'ms';\nexport const twoHours = ms('2h');\nexport default {};\n";

function packageLock(integrity = MS_INTEGRITY): string {
  return JSON.stringify({
    name: '@fixture/hello-world',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: '@fixture/hello-world', version: '1.0.0', dependencies: { ms: '2.1.3' }, peerDependencies: { '@lpx/sdk': '0.1.0' } },
      'node_modules/ms': { version: '2.1.3', resolved: 'https://registry.npmjs.org/ms/-/ms-2.1.3.tgz', integrity, license: 'MIT' },
    },
  });
}

const withDeps = { dependencies: { ms: '2.1.3' }, peerDependencies: { '@lpx/sdk': '0.1.0' } };

t.test('a plugin with an npm dependency and its package-lock.json: installed with npm ci, and its code imports it', async (t) => {
  const root = tempDir(t);
  await publishFixture(t, root, {}, { entrySource, packageJson: withDeps, extraFiles: { 'package-lock.json': packageLock() } });
  const install = tempDir(t);
  const [installed] = await resolvePluginsForNode(root, request, install);
  const ms = JSON.parse(await readFile(`${installed!.dir}/node_modules/ms/package.json`, 'utf8')) as { version: string };
  t.equal(ms.version, '2.1.3');
  const module = (await import(installed!.entryUrl)) as { twoHours: number };
  t.equal(module.twoHours, 7_200_000);
  t.notOk(await readFile(`${installed!.dir}/node_modules/@lpx/sdk/package.json`).then(() => true, () => false), 'the sdk peer is never installed');
  t.same(await installedVersions(install), ['hello-world/1.0.0']);
  t.equal(pathToFileURL(installed!.dir).href.startsWith('file:'), true);
});

t.test('dependencies without package-lock.json: DEPENDENCIES_FAILED naming the fix, nothing installed', async (t) => {
  const root = tempDir(t);
  await publishFixture(t, root, {}, { entrySource, packageJson: withDeps });
  const install = tempDir(t);
  const error = await catchError(() => resolvePluginsForNode(root, request, install));
  t.match(error.details, { failures: [{ code: 'LPX_ERR_REGISTRY_DEPENDENCIES_FAILED', message: /has dependencies \(ms\) but the package has no package-lock\.json; run `npm install`/ }] });
  t.same(await installedVersions(install), []);
});

t.test('@lpx/sdk as a regular dependency next to others: DEPENDENCIES_FAILED asking for a peerDependency', async (t) => {
  const root = tempDir(t);
  await publishFixture(t, root, {}, { entrySource, packageJson: { dependencies: { ms: '2.1.3', '@lpx/sdk': '0.1.0' } }, extraFiles: { 'package-lock.json': packageLock() } });
  const install = tempDir(t);
  const error = await catchError(() => resolvePluginsForNode(root, request, install));
  t.match(error.details, { failures: [{ code: 'LPX_ERR_REGISTRY_DEPENDENCIES_FAILED', message: /move it to "peerDependencies"/ }] });
  t.same(await installedVersions(install), []);
});

t.test('a dependency whose bytes differ from the package-lock integrity: DEPENDENCIES_FAILED, and earlier plugins are taken back', async (t) => {
  const root = tempDir(t);
  await publishFixture(t, root, { id: 'aaa-first' });
  const wrong = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
  await publishFixture(t, root, {}, { entrySource, packageJson: withDeps, extraFiles: { 'package-lock.json': packageLock(wrong) } });
  const install = tempDir(t);
  const error = await catchError(() => resolvePluginsForNode(root, [{ id: 'aaa-first', version: '1.0.0' }, ...request], install));
  t.equal(error.code, 'LPX_ERR_REGISTRY_RESOLVE_FAILED');
  t.match(error.details, { failures: [{ id: 'hello-world', code: 'LPX_ERR_REGISTRY_DEPENDENCIES_FAILED', message: /npm ci .*failed/ }] });
  t.same(await installedVersions(install), [], 'the plugin installed before the failure was removed too');
});
