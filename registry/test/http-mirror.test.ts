import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { errors, isPluginDefinition } from '@lpx/sdk';
import { mirrorForNode, mirrorRegistryKeys, mirrorRelease, packPluginFolder, publishToHttpRegistry, resolvePluginsForNode, serveRegistry } from '../src/index.js';
import { gzipPackage, packageTar } from '../src/tarball/package-tarball.js';
import { sha512Integrity } from '../src/verify/integrity.js';
import { catchError } from './helpers/catch-error.js';
import { fixtureManifest, fixturePluginFolder } from './helpers/fixture-plugin.js';
import { PUBLISH_TOKEN, releaseFolders, signatureRecord, signed, startRegistry, TEST_PUBLISHER } from './helpers/http-registry.js';

async function listing(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function publishAll(url: string, dir: string, names: string[]): Promise<void> {
  for (const name of names) {
    const packed = await packPluginFolder(join(dir, name));
    await publishToHttpRegistry(url, packed, { token: PUBLISH_TOKEN, signatures: [signed(packed)] });
  }
}

/** A registry server over a fresh folder holding `names` (folders of releaseFolders), and an empty mirror path. */
async function servedWith(t: Test, names: string[]) {
  const dir = t.testdir(releaseFolders());
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root);
  await publishAll(url, dir, names);
  return { dir, root, url, mirror: join(dir, 'mirror') };
}

t.test('mirrors the best matching version with its records, then installs from the mirror like a local registry', async (t) => {
  const dir = t.testdir(releaseFolders({ installed: {} }));
  const url = await startRegistry(t, join(dir, 'registry'));
  await publishAll(url, dir, ['v100', 'v120']);
  const mirror = join(dir, 'mirror');

  const entry = await mirrorRelease(url, 'hello-world', '^1.0.0', mirror);
  t.equal(entry.version, '1.2.0', 'the highest version in range, as the local resolve picks');
  t.equal(entry.dir, join(mirror, 'hello-world', '1.2.0'));
  t.same((await listing(entry.dir)).sort(), ['integrity', 'manifest.json', 'package.tgz', 'signatures.json'], 'release files and records; no review.json while pending');
  t.same((JSON.parse(await readFile(join(entry.dir, 'signatures.json'), 'utf8')) as { keyId: string }[]).map((s) => s.keyId), [TEST_PUBLISHER.keyId]);
  t.equal((await mirrorRelease(url, 'hello-world', '~1.0.0', mirror)).version, '1.0.0');
  t.same(await listing(join(mirror, 'hello-world')), ['1.0.0', '1.2.0'], 'no staging folders left');

  const trust = { publishers: [TEST_PUBLISHER.keyId], states: ['pending' as const] };
  const [installed] = await resolvePluginsForNode(mirror, [{ id: 'hello-world', version: '^1.0.0' }], join(dir, 'installed'), { trust });
  t.match(installed, { version: '1.2.0', trust: { signedBy: [TEST_PUBLISHER.keyId] } }, 'the mirrored signature verifies on the node');
  const module = (await import(installed!.entryUrl)) as { default: unknown };
  t.ok(isPluginDefinition(module.default), 'the mirrored plugin imports');

  // A registry that serves a signature that does not verify (compromised, or its folder edited by hand): the node refuses.
  await writeFile(join(dir, 'registry', 'hello-world', '1.2.0', 'signatures.json'), JSON.stringify([signatureRecord()]));
  await mirrorRelease(url, 'hello-world', '^1.0.0', mirror);
  const refused = await catchError(() => resolvePluginsForNode(mirror, [{ id: 'hello-world', version: '1.2.0' }], join(dir, 'installed-again')));
  t.match(refused?.message, /LPX_ERR_REGISTRY_SIGNATURE_INVALID/, 'a mirrored signature that does not verify stops the install');
  const again = await mirrorRelease(url, 'hello-world', '^1.0.0', mirror);
  t.equal(again.integrity, entry.integrity, 'mirroring again refreshes the same release');
});

t.test('re-mirroring a held release refreshes its records and reuses the verified tarball', async (t) => {
  const { dir, root, url, mirror } = await servedWith(t, ['v100']);
  const first = await mirrorRelease(url, 'hello-world', '1.0.0', mirror);
  t.same((await listing(first.dir)).sort(), ['integrity', 'manifest.json', 'package.tgz', 'signatures.json']);

  await writeFile(join(root, 'hello-world', '1.0.0', 'review.json'), JSON.stringify([{ state: 'approved' }]));
  // The server's copy breaks; the mirror's verified copy still matches the integrity, so it is kept.
  await writeFile(join(root, 'hello-world', '1.0.0', 'package.tgz'), 'broken on the server');
  const again = await mirrorRelease(url, 'hello-world', '1.0.0', mirror);
  t.equal(again.integrity, first.integrity);
  t.same(JSON.parse(await readFile(join(again.dir, 'review.json'), 'utf8')), [{ state: 'approved' }], 'the new review is mirrored');

  await writeFile(join(again.dir, 'package.tgz'), 'broken in the mirror too');
  const error = await catchError(() => mirrorRelease(url, 'hello-world', '1.0.0', mirror));
  t.ok(errors.registry.INTEGRITY_MISMATCH.is(error), 'a bad cached copy is fetched again, and the bad download refused');
});

t.test('a tarball changed on the server after publishing is refused and leaves nothing in the mirror', async (t) => {
  const dir = t.testdir(releaseFolders());
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root);
  await publishAll(url, dir, ['v100']);
  await writeFile(join(root, 'hello-world', '1.0.0', 'package.tgz'), (await packPluginFolder(join(dir, 'changed'))).tgz);

  const error = await catchError(() => mirrorRelease(url, 'hello-world', '1.0.0', join(dir, 'mirror')));
  t.ok(errors.registry.INTEGRITY_MISMATCH.is(error), error.message);
  t.match(error.message, `${url}/v1/plugins/hello-world/1.0.0`);
  t.same(await listing(join(dir, 'mirror', 'hello-world')), [], 'no release and no staging folder');

  const forNode = await catchError(() => mirrorForNode(url, [{ id: 'hello-world', version: '^1.0.0' }], join(dir, 'mirror')));
  t.ok(errors.registry.RESOLVE_FAILED.is(forNode));
  t.match(forNode.message, /LPX_ERR_REGISTRY_INTEGRITY_MISMATCH/);
  t.same(await listing(join(dir, 'mirror')), [], 'no keys mirrored either: a failed mirror stops before them');
});

t.test('a registry that rewrites a mirrored version (bytes and integrity) is not followed', async (t) => {
  const { dir, root, url, mirror } = await servedWith(t, ['v100']);
  const first = await mirrorRelease(url, 'hello-world', '1.0.0', mirror);

  const rewritten = gzipPackage(packageTar([{ path: 'package.json', content: Buffer.from('{}'), executable: false }]));
  await writeFile(join(root, 'hello-world', '1.0.0', 'package.tgz'), rewritten);
  await writeFile(join(root, 'hello-world', '1.0.0', 'integrity'), `${sha512Integrity(rewritten)}\n`);
  const error = await catchError(() => mirrorRelease(url, 'hello-world', '1.0.0', mirror));
  t.ok(errors.registry.INTEGRITY_MISMATCH.is(error));
  t.match(error.message, /published versions are immutable/);
  t.equal((await readFile(join(mirror, 'hello-world', '1.0.0', 'integrity'), 'utf8')).trim(), first.integrity, 'the mirrored copy is kept');
});

t.test('unknown plugins, unmatched ranges and unreachable registries are coded and name the URL', async (t) => {
  const dir = t.testdir(releaseFolders());
  const url = await startRegistry(t, join(dir, 'registry'));
  await publishAll(url, dir, ['v100']);
  const mirror = join(dir, 'mirror');

  const unknown = await catchError(() => mirrorRelease(url, 'ghost', '*', mirror));
  t.ok(errors.registry.ENTRY_MISSING.is(unknown));
  t.match(unknown.message, `${url}/v1/plugins/ghost`);
  const range = await catchError(() => mirrorRelease(url, 'hello-world', '^2.0.0', mirror));
  t.ok(errors.registry.ENTRY_MISSING.is(range));
  t.match(range.message, /satisfies "\^2\.0\.0"; available: 1\.0\.0/);
  t.ok(errors.registry.ENTRY_MISSING.is(await catchError(() => mirrorRelease(url, '../etc', '*', mirror))), 'ids are checked before any URL is built');

  const closed = await serveRegistry({ root: join(dir, 'registry'), port: 0 });
  await closed.close();
  const down = await catchError(() => mirrorRelease(closed.url, 'hello-world', '*', mirror));
  t.ok(errors.registry.REMOTE_FAILED.is(down), down.message);
  t.match(down.message, `GET ${closed.url}/v1/plugins/hello-world failed`);
  t.match(down.details, { url: `${closed.url}/v1/plugins/hello-world` });

  const notRegistry = await catchError(() => mirrorRelease(`${url}/elsewhere`, 'hello-world', '*', mirror));
  t.ok(errors.registry.REMOTE_FAILED.is(notRegistry));
  t.match(notRegistry.details, { status: 404 });
  t.same(await listing(mirror), [], 'nothing mirrored by any of them');
});

t.test('mirrorForNode: every request and the registry keys, every failure reported together', async (t) => {
  const dir = t.testdir(releaseFolders({ beta: fixturePluginFolder({ manifest: fixtureManifest({ id: 'beta', version: '0.3.0', capabilities: [] }) }) }));
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root);
  await publishAll(url, dir, ['v100', 'beta']);
  await writeFile(join(root, 'revoked-keys.json'), JSON.stringify([{ keyId: 'ed25519:old', reason: 'leaked', at: 'then' }]));
  const mirror = join(dir, 'mirror');

  const entries = await mirrorForNode(url, [{ id: 'beta', version: '*' }, { id: 'hello-world', version: '^1.0.0' }], mirror);
  t.same(entries.map((e) => `${e.id}@${e.version}`), ['beta@0.3.0', 'hello-world@1.0.0']);
  t.same(JSON.parse(await readFile(join(mirror, 'revoked-keys.json'), 'utf8')), [{ keyId: 'ed25519:old', reason: 'leaked', at: 'then' }]);
  t.same(await listing(join(mirror, 'publishers')), []);

  const error = await catchError(() => mirrorForNode(url, [{ id: 'beta', version: '^1.0.0' }, { id: 'ghost', version: '*' }, { id: 'hello-world', version: '*' }], mirror));
  t.ok(errors.registry.RESOLVE_FAILED.is(error));
  t.match(error.message, /2 of 3 plugin\(s\) named by the node config could not be mirrored from/);
  t.match(error.message, /"beta" \(\^1\.0\.0\): LPX_ERR_REGISTRY_ENTRY_MISSING/);
  t.match(error.message, /"ghost" \(\*\): LPX_ERR_REGISTRY_ENTRY_MISSING/);
});

t.test('registry keys: publishers mirrored under their registry file names, unsafe key ids refused before anything is written', async (t) => {
  const dir = t.testdir(releaseFolders());
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root);
  const mirror = join(dir, 'mirror');
  const key = { keyId: 'ed25519:abc_-1', algorithm: 'ed25519', publicKey: 'cA==', name: 'Partner' };
  await mkdir(join(root, 'publishers'), { recursive: true });
  await writeFile(join(root, 'publishers', 'ed25519-abc_-1.json'), JSON.stringify(key));
  await mirrorRegistryKeys(url, mirror);
  t.same(await listing(join(mirror, 'publishers')), ['ed25519-abc_-1.json']);
  t.same(JSON.parse(await readFile(join(mirror, 'publishers', 'ed25519-abc_-1.json'), 'utf8')), key);
  t.same(JSON.parse(await readFile(join(mirror, 'revoked-keys.json'), 'utf8')), []);

  await writeFile(join(root, 'publishers', 'evil.json'), JSON.stringify({ ...key, keyId: '../../escape' }));
  await writeFile(join(root, 'revoked-keys.json'), JSON.stringify([{ keyId: 'ed25519:abc_-1', reason: 'leaked', at: 'now' }]));
  const error = await catchError(() => mirrorRegistryKeys(url, mirror));
  t.ok(errors.registry.REMOTE_FAILED.is(error));
  t.match(error.message, /publisher key id "\.\.\/\.\.\/escape" that is not a safe file name/);
  t.same(JSON.parse(await readFile(join(mirror, 'revoked-keys.json'), 'utf8')), [], 'nothing was rewritten');
  t.same(await listing(join(dir)), ['changed', 'mirror', 'registry', 'v100', 'v120'], 'nothing escaped the mirror');
});
