import { copyFile, readFile, writeFile } from 'node:fs/promises';
import t from 'tap';
import { generateKey, readSignatures, releaseStatementFor, resolvePluginsForNode, signRelease, verifyReleaseSignatures, listPublisherKeys } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { installedVersions, publishFixture, tempDir } from './helpers/trust-fixture.js';

const request = [{ id: 'hello-world', version: '^1.0.0' }];

t.test('a release signed by both key types verifies; signing again is a no-op; the registry learns the keys', async (t) => {
  const root = tempDir(t);
  const entry = await publishFixture(t, root);
  const ed = generateKey('ed25519', 'Ada');
  const eth = generateKey('secp256k1', 'Bob');
  const first = await signRelease(entry, ed);
  await signRelease(entry, eth);
  t.same(await signRelease(entry, ed), first, 'same key, same release: the existing signature is kept');
  t.equal((await readSignatures(entry)).length, 2);
  const check = await verifyReleaseSignatures(entry);
  t.same(check.valid.map((s) => s.keyId).sort(), [ed.keyId, eth.keyId].sort());
  t.same(check.invalid, []);
  t.same(check.statement, releaseStatementFor(entry));
  t.match(check.statement, { type: 'lpx-plugin-release/v1', id: 'hello-world', version: '1.0.0', integrity: entry.integrity, manifestIntegrity: /^sha512-/, images: [] });
  t.same((await listPublisherKeys(root)).map((k) => k.name).sort(), ['Ada', 'Bob']);
});

t.test('tampering is refused, whatever was changed, and nothing is installed', async (t) => {
  const key = generateKey('ed25519');
  const trust = { publishers: [key.keyId], states: ['pending' as const, 'approved' as const] };

  t.test('package.tgz and its integrity replaced together: SIGNATURE_INVALID', async (t) => {
    const root = tempDir(t);
    const other = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, key);
    // Same manifest, other code: the swap a registry-folder attacker would make.
    const evil = await publishFixture(t, other, {}, { entrySource: "import { definePlugin } from '@lpx/sdk'; export default 'evil';\n" });
    await copyFile(evil.tarballPath, entry.tarballPath);
    await copyFile(`${evil.dir}/integrity`, `${entry.dir}/integrity`);
    const install = tempDir(t);
    const error = await catchError(() => resolvePluginsForNode(root, request, install, { trust }));
    t.equal(error.code, 'LPX_ERR_REGISTRY_RESOLVE_FAILED');
    t.match(error.details, { failures: [{ id: 'hello-world', code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID' }] });
    t.match(error.message, /does not verify over the release as it is now/);
    t.same(await installedVersions(install), []);
  });

  t.test('manifest.json edited: SIGNATURE_INVALID', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, key);
    const manifest = JSON.parse(await readFile(`${entry.dir}/manifest.json`, 'utf8')) as Record<string, unknown>;
    await writeFile(`${entry.dir}/manifest.json`, JSON.stringify({ ...manifest, permissions: ['docker'] }));
    const install = tempDir(t);
    const error = await catchError(() => resolvePluginsForNode(root, request, install, { trust }));
    t.match(error.details, { failures: [{ code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID' }] });
    t.same(await installedVersions(install), []);
  });

  t.test('package.tgz alone replaced: INTEGRITY_MISMATCH before anything is unpacked', async (t) => {
    const root = tempDir(t);
    const other = tempDir(t);
    const entry = await publishFixture(t, root);
    await signRelease(entry, key);
    const evil = await publishFixture(t, other, {}, { entrySource: "export default 'evil';\n" });
    await copyFile(evil.tarballPath, entry.tarballPath);
    const install = tempDir(t);
    const error = await catchError(() => resolvePluginsForNode(root, request, install, { trust }));
    t.match(error.details, { failures: [{ code: 'LPX_ERR_REGISTRY_INTEGRITY_MISMATCH' }] });
    t.same(await installedVersions(install), []);
  });

  t.test('a signature copied from another release: SIGNATURE_INVALID even in dev mode', async (t) => {
    const root = tempDir(t);
    const entry = await publishFixture(t, root);
    const next = await publishFixture(t, root, { version: '1.0.1' });
    await signRelease(entry, key);
    await copyFile(`${entry.dir}/signatures.json`, `${next.dir}/signatures.json`);
    const install = tempDir(t);
    const error = await catchError(() => resolvePluginsForNode(root, request, install));
    t.match(error.details, { failures: [{ code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID' }] });
    t.same(await installedVersions(install), []);
  });
  t.end();
});
