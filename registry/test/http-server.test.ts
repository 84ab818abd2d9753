import { readFile, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { generateKey, packPluginFolder, publishToHttpRegistry, readTokenFile, releaseUploadBody, RELEASE_UPLOAD_TYPE, signReview, verifyEntry } from '../src/index.js';
import { readEntry } from '../src/local-registry/read-entry.js';
import { catchError } from './helpers/catch-error.js';
import { ADMIN_TOKEN, PUBLISH_TOKEN, releaseFolders, signatureRecord, signed, startRegistry, TEST_PUBLISHER } from './helpers/http-registry.js';

const SECOND = generateKey('secp256k1', 'co-signer');
const REVIEWER = generateKey('ed25519', 'reviewer');

async function put(url: string, path: string, body: Buffer, token: string | null = PUBLISH_TOKEN): Promise<Response> {
  return fetch(`${url}${path}`, { method: 'PUT', body, headers: { 'content-type': RELEASE_UPLOAD_TYPE, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
}

async function post(url: string, path: string, body: unknown, token: string): Promise<Response> {
  return fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
}

async function problem(response: Response): Promise<{ status: number; code: string; detail: string; type: string }> {
  return { ...((await response.json()) as { code: string; detail: string; type: string }), status: response.status };
}

t.test('publish over HTTP, read it back, re-publish is idempotent, changed content conflicts', async (t) => {
  const dir = t.testdir(releaseFolders());
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root);

  const packed = await packPluginFolder(join(dir, 'v100'));
  const first = await publishToHttpRegistry(url, packed, { token: PUBLISH_TOKEN });
  t.match(first, { id: 'hello-world', version: '1.0.0', status: 'published', state: 'pending', integrity: packed.integrity });
  const entry = await readEntry(root, 'hello-world', '1.0.0');
  await verifyEntry(entry);
  t.pass('the stored release verifies like a locally published one');
  t.same(await readdir(entry.dir), ['integrity', 'manifest.json', 'package.tgz'], 'no review.json: a new release is pending');

  const again = await publishToHttpRegistry(url, packed, { token: PUBLISH_TOKEN });
  t.equal(again.status, 'unchanged');
  await publishToHttpRegistry(url, await packPluginFolder(join(dir, 'v120')), { token: PUBLISH_TOKEN });

  const conflict = await catchError(async () => publishToHttpRegistry(url, await packPluginFolder(join(dir, 'changed')), { token: PUBLISH_TOKEN }));
  t.ok(errors.registry.PUBLISH_CONFLICT.is(conflict), conflict.message);
  const raw = await put(url, '/v1/plugins/hello-world/1.0.0', releaseUploadBody(await packPluginFolder(join(dir, 'changed'))));
  t.match(await problem(raw), { status: 409, code: 'LPX_ERR_REGISTRY_PUBLISH_CONFLICT', type: 'about:blank' });
  t.equal(raw.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  t.equal((await readFile(join(root, 'hello-world', '1.0.0', 'integrity'), 'utf8')).trim(), packed.integrity, 'the published release is untouched');

  const index = (await (await fetch(`${url}/v1/plugins`)).json()) as unknown;
  t.same(index, { plugins: [{ id: 'hello-world', versions: [{ version: '1.2.0', state: 'pending' }, { version: '1.0.0', state: 'pending' }] }] });
  const versions = (await (await fetch(`${url}/v1/plugins/hello-world`)).json()) as { versions: { version: string; integrity: string }[] };
  t.same(versions.versions.map((v) => v.version), ['1.2.0', '1.0.0'], 'newest first');
  t.equal(versions.versions[1]!.integrity, packed.integrity);

  const tgz = await fetch(`${url}/v1/plugins/hello-world/1.0.0/package.tgz`);
  t.equal(tgz.status, 200);
  t.ok(Buffer.from(await tgz.arrayBuffer()).equals(packed.tgz), 'the same bytes come back');
  t.equal(tgz.headers.get('etag'), `"${packed.integrity}"`);
  t.equal(tgz.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const cached = await fetch(`${url}/v1/plugins/hello-world/1.0.0/package.tgz`, { headers: { 'if-none-match': `"${packed.integrity}"` } });
  t.equal(cached.status, 304);
  const manifest = (await (await fetch(`${url}/v1/plugins/hello-world/1.0.0/manifest.json`)).json()) as { id: string };
  t.equal(manifest.id, 'hello-world');

  t.match(await problem(await fetch(`${url}/v1/plugins/hello-world/1.0.0/signatures.json`)), { status: 404, code: 'LPX_ERR_REGISTRY_ENTRY_MISSING', detail: /has no signatures\.json yet/ });
  t.match(await problem(await fetch(`${url}/v1/plugins/hello-world/9.9.9/manifest.json`)), { status: 404, code: 'LPX_ERR_REGISTRY_ENTRY_MISSING', detail: /is not published here/ });
  t.match(await problem(await fetch(`${url}/v1/plugins/ghost`)), { status: 404, code: 'LPX_ERR_REGISTRY_ENTRY_MISSING' });
  t.match(await problem(await fetch(`${url}/v1/plugins/hello-world/1.0.0/secret.txt`)), { status: 404, code: 'LPX_ERR_HTTP_NOT_FOUND' });
});

t.test('writes need the right token: 401 without or with an unknown one, 403 for the wrong role or a read-only registry', async (t) => {
  const dir = t.testdir(releaseFolders());
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root);
  const body = releaseUploadBody(await packPluginFolder(join(dir, 'v100')));

  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.0.0', body, null)), { status: 401, code: 'LPX_ERR_REGISTRY_UNAUTHORIZED', detail: /Authorization: Bearer/ });
  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.0.0', body, 'guessed')), { status: 401, code: 'LPX_ERR_REGISTRY_UNAUTHORIZED' });
  const bad = await catchError(async () => publishToHttpRegistry(url, await packPluginFolder(join(dir, 'v100')), { token: 'guessed' }));
  t.ok(errors.registry.UNAUTHORIZED.is(bad), 'the client keeps the code');
  t.match(bad.message, `PUT ${url}/v1/plugins/hello-world/1.0.0 answered 401`);
  t.same(await readdir(root), [], 'nothing stored');

  t.equal((await put(url, '/v1/plugins/hello-world/1.0.0', body, ADMIN_TOKEN)).status, 201, 'an admin token may publish');
  const { signedAt: _unused, ...key } = signatureRecord();
  const review = { type: 'lpx-plugin-review/v1', id: 'hello-world', version: '1.0.0', integrity: 'x', state: 'approved', at: 'now', ...key };
  t.match(await problem(await post(url, '/v1/plugins/hello-world/1.0.0/reviews', review, PUBLISH_TOKEN)), { status: 403, code: 'LPX_ERR_REGISTRY_FORBIDDEN', detail: /publish token cannot post reviews/ });

  const readOnly = await startRegistry(t, root, { publishTokens: [], adminTokens: [] });
  t.match(await problem(await put(readOnly, '/v1/plugins/hello-world/1.0.0', body, PUBLISH_TOKEN)), { status: 403, code: 'LPX_ERR_REGISTRY_FORBIDDEN', detail: /--publish-token-file/ });
  t.equal((await fetch(`${readOnly}/v1/plugins/hello-world`)).status, 200, 'reads need no token');
});

t.test('ids and versions cannot leave the registry folder', async (t) => {
  const dir = t.testdir({ ...releaseFolders(), 'outside.json': '{"secret":true}' });
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root);
  await publishToHttpRegistry(url, await packPluginFolder(join(dir, 'v100')), { token: PUBLISH_TOKEN });

  for (const path of [
    '/v1/plugins/..%2F..%2Foutside.json',
    '/v1/plugins/%2e%2e/1.0.0/manifest.json',
    '/v1/plugins/hello-world/..%2F..%2F..%2Foutside.json/manifest.json',
    '/v1/plugins/hello-world/1.0/manifest.json',
    '/v1/plugins/hello-world/1.0.0/..%2F1.0.0%2Fmanifest.json',
  ]) {
    const response = await fetch(`${url}${path}`);
    const body = await problem(response);
    t.equal(response.status, 404, path);
    t.match(body.code, /^LPX_ERR_(REGISTRY_ENTRY_MISSING|HTTP_NOT_FOUND)$/, path);
    t.notMatch(JSON.stringify(body), /secret/);
  }
  const body = releaseUploadBody(await packPluginFolder(join(dir, 'v100')));
  t.match(await problem(await put(url, '/v1/plugins/..%2Fescaped/1.0.0', body)), { status: 400, code: 'LPX_ERR_HTTP_BAD_REQUEST', detail: /not a valid plugin id/ });
  t.match(await problem(await put(url, '/v1/plugins/hello-world/latest', body)), { status: 400, code: 'LPX_ERR_HTTP_BAD_REQUEST', detail: /not an exact semver version/ });
  t.same(await readdir(root), ['hello-world']);
  t.same(await readdir(join(root, 'hello-world')), ['1.0.0']);
});

t.test('a bad upload is refused whole, with the code of what is wrong', async (t) => {
  const dir = t.testdir(releaseFolders());
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root, { maxPublishBytes: 64 * 1024 });
  const packed = await packPluginFolder(join(dir, 'v100'));

  t.match(await problem(await put(url, '/v1/plugins/hello-world/2.0.0', releaseUploadBody(packed))), { status: 400, code: 'LPX_ERR_REGISTRY_PACKAGE_INVALID', detail: /not the id and version of the URL/ });
  const other = await packPluginFolder(join(dir, 'v120'));
  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.0.0', releaseUploadBody({ ...packed, integrity: other.integrity }))), { status: 400, code: 'LPX_ERR_REGISTRY_INTEGRITY_MISMATCH' });
  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.2.0', releaseUploadBody({ ...other, manifest: packed.manifest }))), { status: 400, code: 'LPX_ERR_REGISTRY_PACKAGE_INVALID' });
  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.0.0', releaseUploadBody({ ...packed, manifest: { id: 'hello-world', version: '1.0.0' } }))), { status: 400, code: 'LPX_ERR_PLUGIN_MANIFEST_INVALID' });
  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.0.0', Buffer.from('not a tar'))), { status: 400, code: 'LPX_ERR_REGISTRY_PACKAGE_INVALID' });
  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.0.0', releaseUploadBody(packed, [{ keyId: 'x' } as never]))), { status: 400, code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID' });
  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.0.0', releaseUploadBody(packed, [signatureRecord()]))), { status: 400, code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID', detail: /does not verify/ }, 'a signature that does not verify');
  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.0.0', releaseUploadBody(packed, [signed(other)]))), { status: 400, code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID' }, 'a signature of another release');
  t.match(await problem(await put(url, '/v1/plugins/hello-world/1.0.0', Buffer.alloc(65 * 1024))), { status: 413, code: 'LPX_ERR_HTTP_BODY_TOO_LARGE' });
  const asJson = await fetch(`${url}/v1/plugins/hello-world/1.0.0`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json', authorization: `Bearer ${PUBLISH_TOKEN}` } });
  t.match(await problem(asJson), { status: 415, code: 'LPX_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE' });
  t.same(await readdir(root), [], 'nothing was stored by any of them');
});

t.test('signatures and reviews are verified, then appended; the index shows the newest review state', async (t) => {
  const dir = t.testdir(releaseFolders());
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root);
  const packed = await packPluginFolder(join(dir, 'v100'));
  const published = await publishToHttpRegistry(url, packed, { token: PUBLISH_TOKEN, signatures: [signed(packed)] });
  t.equal(published.status, 'published');
  const signaturesFile = join(root, 'hello-world', '1.0.0', 'signatures.json');
  const stored = await readFile(signaturesFile, 'utf8');

  const path = '/v1/plugins/hello-world/1.0.0/signatures';
  t.match(await problem(await post(url, path, { keyId: 'k', algorithm: 'rsa' }, PUBLISH_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID' });
  t.match(await problem(await post(url, '/v1/plugins/hello-world/3.0.0/signatures', signed(packed), PUBLISH_TOKEN)), { status: 404, code: 'LPX_ERR_REGISTRY_ENTRY_MISSING' });
  // A junk or copied signature would make every node refuse the release (SIGNATURE_INVALID), for good: the file only grows.
  t.match(await problem(await post(url, path, signatureRecord(), PUBLISH_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID', detail: /does not verify over this release/ });
  const other = signed(await packPluginFolder(join(dir, 'v120')), SECOND);
  t.match(await problem(await post(url, path, other, PUBLISH_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID' }, 'a signature of another release');
  t.match(await problem(await post(url, path, { ...signed(packed, SECOND), keyId: TEST_PUBLISHER.keyId }, PUBLISH_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID' }, 'a keyId that is not its key');
  t.equal(await readFile(signaturesFile, 'utf8'), stored, 'none of them was stored');
  const second = signed(packed, SECOND);
  t.equal((await post(url, path, second, PUBLISH_TOKEN)).status, 201);
  t.same(await (await post(url, path, second, PUBLISH_TOKEN)).json(), { id: 'hello-world', version: '1.0.0', added: 0 }, 'a retried POST adds nothing');
  const signatures = await fetch(`${url}/v1/plugins/hello-world/1.0.0/signatures.json`);
  t.equal(signatures.headers.get('cache-control'), 'no-cache');
  t.same(((await signatures.json()) as { keyId: string }[]).map((s) => s.keyId), [TEST_PUBLISHER.keyId, SECOND.keyId]);

  const entry = await readEntry(root, 'hello-world', '1.0.0');
  const review = signReview(entry, 'approved', REVIEWER);
  const reviews = '/v1/plugins/hello-world/1.0.0/reviews';
  t.match(await problem(await post(url, reviews, { ...review, integrity: 'sha512-other' }, ADMIN_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_REVIEW_INVALID', detail: /covers integrity/ });
  t.match(await problem(await post(url, reviews, { ...review, state: 'great' }, ADMIN_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_REVIEW_INVALID' });
  t.match(await problem(await post(url, reviews, { ...review, state: 'rejected' }, ADMIN_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_REVIEW_INVALID', detail: /does not verify/ }, 'a field changed after signing');
  t.match(await problem(await post(url, reviews, { ...review, state: 'pending' }, ADMIN_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_REVIEW_INVALID', detail: /must be one of approved, rejected, revoked/ });
  t.notOk(await stat(join(entry.dir, 'review.json')).then(() => true, () => false), 'no refused review was stored');
  t.same(await (await post(url, reviews, review, ADMIN_TOKEN)).json(), { id: 'hello-world', version: '1.0.0', state: 'approved' });
  const revocation = signReview(entry, 'revoked', REVIEWER, 'malware');
  t.equal((await post(url, reviews, revocation, ADMIN_TOKEN)).status, 201);
  t.equal((await post(url, reviews, revocation, ADMIN_TOKEN)).status, 200, 'a retried revocation is a no-op');
  t.match(await problem(await post(url, reviews, signReview(entry, 'approved', REVIEWER), ADMIN_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_REVIEW_INVALID', detail: /revocation is final/ });
  t.same((await (await fetch(`${url}/v1/plugins`)).json()) as unknown, { plugins: [{ id: 'hello-world', versions: [{ version: '1.0.0', state: 'revoked' }] }] });
  t.same(((await (await fetch(`${url}/v1/plugins/hello-world/1.0.0/review.json`)).json()) as { state: string }[]).map((r) => r.state), ['approved', 'revoked']);

  t.same(await (await fetch(`${url}/v1/keys/revoked`)).json(), [], 'no revoked-keys.json: none revoked');
  t.same(await (await fetch(`${url}/v1/publishers`)).json(), []);
  const key = { keyId: 'ed25519:abc', algorithm: 'ed25519', publicKey: 'cA==', name: 'Partner' };
  await mkdir(join(root, 'publishers'));
  await writeFile(join(root, 'publishers', 'ed25519_abc.json'), JSON.stringify(key));
  await writeFile(join(root, 'revoked-keys.json'), JSON.stringify([{ keyId: 'ed25519:old', reason: 'leaked', at: 'then' }]));
  t.same(await (await fetch(`${url}/v1/publishers`)).json(), [key]);
  t.same(await (await fetch(`${url}/v1/keys/revoked`)).json(), [{ keyId: 'ed25519:old', reason: 'leaked', at: 'then' }]);
});

t.test('a review by a key this registry revoked is refused', async (t) => {
  const dir = t.testdir(releaseFolders());
  const root = join(dir, 'registry');
  const url = await startRegistry(t, root);
  await publishToHttpRegistry(url, await packPluginFolder(join(dir, 'v100')), { token: PUBLISH_TOKEN });
  await writeFile(join(root, 'revoked-keys.json'), JSON.stringify([{ keyId: REVIEWER.keyId, reason: 'leaked', at: 'then' }]));
  const review = signReview(await readEntry(root, 'hello-world', '1.0.0'), 'approved', REVIEWER);
  t.match(await problem(await post(url, '/v1/plugins/hello-world/1.0.0/reviews', review, ADMIN_TOKEN)), { status: 400, code: 'LPX_ERR_REGISTRY_REVIEW_INVALID', detail: /is revoked in this registry/ });
});

t.test('token files: one token a line, comments ignored, an empty file refused', async (t) => {
  const dir = t.testdir({ tokens: '# publishers\nalpha\n\n  beta  \n', empty: '# none\n' });
  t.same(await readTokenFile(join(dir, 'tokens')), ['alpha', 'beta']);
  t.ok(errors.config.INVALID.is(await catchError(() => readTokenFile(join(dir, 'empty')))));
  t.ok(errors.config.INVALID.is(await catchError(() => readTokenFile(join(dir, 'missing')))));
});
