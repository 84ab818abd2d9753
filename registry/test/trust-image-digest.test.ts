import { gzipSync } from 'node:zlib';
import t from 'tap';
import { generateKey, inspectPluginPackage, releaseStatementFor, resolvePluginsForNode, reviewRelease, signRelease, verifyImageArchive } from '../src/index.js';
import { writeTar } from '../src/tarball/tar-write.js';
import { readTar } from '../src/tarball/tar-read.js';
import { catchError } from './helpers/catch-error.js';
import { byocManifest, dockerSaveArchive, installedVersions, publishFixture, tempDir } from './helpers/trust-fixture.js';
import { fixtureManifest } from './helpers/fixture-plugin.js';

const request = [{ id: 'hello-world', version: '^1.0.0' }];

function packageWith(archive: Buffer, digest: string) {
  const manifest = fixtureManifest(byocManifest(digest));
  return inspectPluginPackage(
    [
      { path: 'package.json', content: Buffer.from(JSON.stringify({ name: 'x', version: '1.0.0', type: 'module', exports: './index.mjs' })), executable: false },
      { path: 'plugin.manifest.json', content: Buffer.from(JSON.stringify(manifest)), executable: false },
      { path: 'index.mjs', content: Buffer.from('export default {};\n'), executable: false },
      { path: 'image.tar', content: archive, executable: false },
    ],
    'fixture',
  );
}

t.test('a docker save archive whose image id is the pinned digest passes; the statement pins the image', async (t) => {
  const image = dockerSaveArchive('fixture/hello:1.0');
  t.match(verifyImageArchive(packageWith(image.tar, image.digest), 'fixture'), { ref: 'fixture/hello:1.0', digest: image.digest, actual: image.digest, layers: 1 });
  t.match(verifyImageArchive(packageWith(gzipSync(image.tar), image.digest), 'fixture'), { actual: image.digest }, 'docker save | gzip is read too');

  const root = tempDir(t);
  const key = generateKey('ed25519');
  const entry = await publishFixture(t, root, byocManifest(image.digest), { extraFiles: { 'image.tar': image.tar } });
  t.same(releaseStatementFor(entry).images, [{ ref: 'fixture/hello:1.0', digest: image.digest }]);
  await signRelease(entry, key);
  await reviewRelease(entry, 'approved', key);
  const install = tempDir(t);
  await resolvePluginsForNode(root, request, install, { trust: { publishers: [key.keyId] } });
  t.same(await installedVersions(install), ['hello-world/1.0.0']);
});

t.test('an archive that is not the pinned image: IMAGE_DIGEST_MISMATCH, nothing installed', async (t) => {
  const image = dockerSaveArchive('fixture/hello:1.0');
  const other = dockerSaveArchive('fixture/hello:1.0', 'another app\n');
  const wrong = await catchError(() => verifyImageArchive(packageWith(other.tar, image.digest), 'fixture'));
  t.equal(wrong.code, 'LPX_ERR_REGISTRY_IMAGE_DIGEST_MISMATCH');
  t.match(wrong.message, new RegExp(`the image id is ${other.digest}, but the manifest pins ${image.digest}`));

  // The config kept (so the id still matches) but a layer swapped: caught through rootfs.diff_ids.
  const layerPath = readTar(image.tar).find((e) => e.path.startsWith('blobs/') && e.content.length > 1024)!.path;
  const otherLayer = readTar(other.tar).find((e) => e.path.startsWith('blobs/') && e.content.length > 1024)!.content;
  const tampered = writeTar(readTar(image.tar).map((e) => (e.path === layerPath ? { path: e.path, content: otherLayer } : e)));
  const layer = await catchError(() => verifyImageArchive(packageWith(tampered, image.digest), 'fixture'));
  t.equal(layer.code, 'LPX_ERR_REGISTRY_IMAGE_DIGEST_MISMATCH');
  t.match(layer.message, /layer blobs\/sha256\/[0-9a-f]{64} hashes to sha256:/);

  const garbage = await catchError(() => verifyImageArchive(packageWith(Buffer.from('not a tar'), image.digest), 'fixture'));
  t.equal(garbage.code, 'LPX_ERR_REGISTRY_IMAGE_DIGEST_MISMATCH');

  // Through the registry: the publisher signed a manifest pinning one image but shipped another.
  const root = tempDir(t);
  const key = generateKey('ed25519');
  const entry = await publishFixture(t, root, byocManifest(image.digest), { extraFiles: { 'image.tar': other.tar } });
  await signRelease(entry, key);
  await reviewRelease(entry, 'approved', key);
  const install = tempDir(t);
  const error = await catchError(() => resolvePluginsForNode(root, request, install, { trust: { publishers: [key.keyId] } }));
  t.match(error.details, { failures: [{ code: 'LPX_ERR_REGISTRY_IMAGE_DIGEST_MISMATCH' }] });
  t.same(await installedVersions(install), []);
});

t.test('a manifest naming an archive the package lacks: PACKAGE_INVALID', async (t) => {
  const image = dockerSaveArchive('fixture/hello:1.0');
  const pkg = packageWith(image.tar, image.digest);
  const error = await catchError(() => verifyImageArchive({ ...pkg, files: pkg.files.filter((f) => f.path !== 'image.tar') }, 'fixture'));
  t.equal(error.code, 'LPX_ERR_REGISTRY_PACKAGE_INVALID');
  t.match(error.message, /byoc.container.archive names image.tar, which is not in the package/);
});
