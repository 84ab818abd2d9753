import { readFile, rm, writeFile } from 'node:fs/promises';
import t from 'tap';
import { generateKey, readLockfile, resolvePluginsForNode, reviewRelease, signRelease } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { installedVersions, publishFixture, tempDir } from './helpers/trust-fixture.js';

const key = generateKey('ed25519');
const trust = { publishers: [key.keyId] };

async function publishApproved(t: Parameters<typeof publishFixture>[0], root: string, version: string, entrySource?: string) {
  const entry = await publishFixture(t, root, { version }, entrySource === undefined ? {} : { entrySource });
  await signRelease(entry, key);
  await reviewRelease(entry, 'approved', key);
  return entry;
}

t.test('the first resolve writes the lock; later ones install exactly the locked version until the range changes', async (t) => {
  const root = tempDir(t);
  const lockfilePath = `${tempDir(t)}/lpx-plugins.lock`;
  const first = await publishApproved(t, root, '1.0.0');
  await resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.0.0' }], tempDir(t), { trust, lockfilePath, source: 'file:registry' });
  const lock = await readLockfile(lockfilePath);
  t.same(lock, {
    lockfileVersion: 1,
    plugins: {
      'hello-world': { range: '^1.0.0', version: '1.0.0', integrity: first.integrity, manifestIntegrity: lock!.plugins['hello-world']!.manifestIntegrity, images: [], signedBy: [key.keyId], source: 'file:registry' },
    },
  });
  t.match(lock!.plugins['hello-world']!.manifestIntegrity, /^sha512-/);

  await publishApproved(t, root, '1.1.0');
  const [locked] = await resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.0.0' }], tempDir(t), { trust, lockfilePath });
  t.equal(locked!.version, '1.0.0', 'a newer version in the range does not move a locked node');

  const [moved] = await resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.1.0' }], tempDir(t), { trust, lockfilePath });
  t.equal(moved!.version, '1.1.0', 'a changed range resolves afresh');
  t.match((await readLockfile(lockfilePath))!.plugins['hello-world'], { range: '^1.1.0', version: '1.1.0' });
});

t.test('the registry serving other content for a locked version: LOCKFILE_MISMATCH, nothing installed', async (t) => {
  const root = tempDir(t);
  const lockfilePath = `${tempDir(t)}/lpx-plugins.lock`;
  const entry = await publishApproved(t, root, '1.0.0');
  await resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.0.0' }], tempDir(t), { trust, lockfilePath });
  const before = await readFile(lockfilePath, 'utf8');

  // Re-published under the same version, properly signed and approved: only the lock notices.
  await rm(entry.dir, { recursive: true });
  await publishApproved(t, root, '1.0.0', "import { definePlugin } from '@lpx/sdk'; export default 'changed';\n");
  const install = tempDir(t);
  const error = await catchError(() => resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.0.0' }], install, { trust, lockfilePath }));
  t.match(error.details, { failures: [{ code: 'LPX_ERR_REGISTRY_LOCKFILE_MISMATCH', message: /serves other content than .*lpx-plugins\.lock pinned: integrity sha512-/ }] });
  t.same(await installedVersions(install), []);
  t.equal(await readFile(lockfilePath, 'utf8'), before, 'the lock is not rewritten by a refused resolve');

  await rm(`${root}/hello-world/1.0.0`, { recursive: true });
  await publishApproved(t, root, '1.0.1');
  const gone = await catchError(() => resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.0.0' }], install, { trust, lockfilePath }));
  t.match(gone.details, { failures: [{ code: 'LPX_ERR_REGISTRY_LOCKFILE_MISMATCH', message: /pins 1\.0\.0, which the registry no longer serves/ }] });
});

t.test('a lock never overrides a revocation', async (t) => {
  const root = tempDir(t);
  const lockfilePath = `${tempDir(t)}/lpx-plugins.lock`;
  const entry = await publishApproved(t, root, '1.0.0');
  await resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.0.0' }], tempDir(t), { trust, lockfilePath });
  await reviewRelease(entry, 'revoked', key, 'bad');
  const error = await catchError(() => resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.0.0' }], tempDir(t), { trust, lockfilePath }));
  t.match(error.details, { failures: [{ code: 'LPX_ERR_REGISTRY_REVOKED' }] });
});

t.test('a malformed lockfile: LOCKFILE_INVALID naming the problem', async (t) => {
  const root = tempDir(t);
  await publishApproved(t, root, '1.0.0');
  const dir = tempDir(t);
  for (const [content, message] of [
    ['{', /is not valid JSON/],
    ['[]', /a lockfile is a JSON object/],
    ['{"lockfileVersion":2,"plugins":{}}', /lockfileVersion must be 1/],
    ['{"lockfileVersion":1,"plugins":{"hello-world":{"range":"^1.0.0"}}}', /plugins.hello-world.version must be a string/],
  ] as const) {
    await writeFile(`${dir}/lpx-plugins.lock`, content);
    const error = await catchError(() => resolvePluginsForNode(root, [{ id: 'hello-world', version: '^1.0.0' }], tempDir(t), { trust, lockfilePath: `${dir}/lpx-plugins.lock` }));
    t.equal(error.code, 'LPX_ERR_REGISTRY_LOCKFILE_INVALID', content);
    t.match(error.message, message, content);
  }
});
