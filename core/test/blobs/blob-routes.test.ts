import t from 'tap';
import { fastify, type FastifyInstance } from 'fastify';
import { errors } from '@lpx/sdk';
import { installProblemJson } from '../../src/http/problem-json.js';
import { blobUrlWithToken, registerBlobRoutes, signBlobToken, type BlobStore } from '../../src/blobs/index.js';
import { diskStore, SECRET, codeOf } from './blob-fixtures.js';

/** The node that holds the blobs: its store served on a real HTTP edge. */
async function servingNode(t: { teardown(fn: () => unknown): void }, now?: () => number): Promise<{ store: BlobStore; app: FastifyInstance; url: string }> {
  const store = await diskStore(t, now ? { now } : {});
  const app = fastify() as unknown as FastifyInstance;
  installProblemJson(app);
  registerBlobRoutes(app, store);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  store.setPublicUrl(url);
  return { store, app, url };
}

t.test('a store on another disk fetches a blob over HTTP with the token in its ref', async (t) => {
  const holder = await servingNode(t);
  const payload = Buffer.alloc(3 * 1024 * 1024, 9);
  const ref = await holder.store.put(payload, { contentType: 'application/octet-stream' });
  t.equal(ref.url, `${holder.url}/v1/blobs/${ref.id}`);
  const worker = await diskStore(t);
  t.same(await worker.read(ref), payload, 'remote bytes arrive whole');
  const opened = await worker.open(ref);
  t.equal(opened.meta.contentType, 'application/octet-stream');
  opened.stream.destroy();
  const plain = await fetch(blobUrlWithToken(ref)!);
  t.equal(plain.status, 200, 'the ref as one URL works for a client that sends no headers');
  t.equal(Buffer.from(await plain.arrayBuffer()).length, payload.length);
});

t.test('refused without a valid token: 401 missing/expired, 403 forged, problem+json with LPX codes', async (t) => {
  let now = Date.now();
  const holder = await servingNode(t, () => now);
  const ref = await holder.store.put(Buffer.from('secret bytes'), { contentType: 'text/plain', ttlSeconds: 60 });
  const path = `/v1/blobs/${ref.id}`;
  const ok = await holder.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${ref.token}` } });
  t.equal(ok.statusCode, 200);
  t.equal(ok.body, 'secret bytes');
  t.equal(ok.headers['content-type'], 'text/plain');
  t.equal(ok.headers['x-content-type-options'], 'nosniff');
  const viaQuery = await holder.app.inject({ method: 'GET', url: `${path}?token=${ref.token}` });
  t.equal(viaQuery.statusCode, 200, 'the token may come in the query, for clients that only follow URLs');

  const missing = await holder.app.inject({ method: 'GET', url: path });
  t.equal(missing.statusCode, 401);
  t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(missing.json().code, errors.blobs.TOKEN_MISSING.code);

  const forged = await holder.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${signBlobToken(Buffer.alloc(32, 5), ref.id, now + 60_000)}` } });
  t.equal(forged.statusCode, 403);
  t.equal(forged.json().code, errors.blobs.TOKEN_INVALID.code);

  const other = await holder.store.put(Buffer.from('other'), { contentType: 'text/plain' });
  const wrongBlob = await holder.app.inject({ method: 'GET', url: `/v1/blobs/${other.id}`, headers: { authorization: `Bearer ${ref.token}` } });
  t.equal(wrongBlob.statusCode, 403, 'a token grants only its own blob');

  const unknown = await holder.app.inject({ method: 'GET', url: `/v1/blobs/${'c'.repeat(32)}`, headers: { authorization: `Bearer ${signBlobToken(SECRET, 'c'.repeat(32), now + 60_000)}` } });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().code, errors.blobs.NOT_FOUND.code);
  const bad = await holder.app.inject({ method: 'GET', url: '/v1/blobs/..%2F..%2Fetc', headers: { authorization: `Bearer ${ref.token}` } });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, errors.blobs.INVALID_REF.code);

  now += 61_000;
  const expired = await holder.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${ref.token}` } });
  t.equal(expired.statusCode, 401);
  t.equal(expired.json().code, errors.blobs.TOKEN_EXPIRED.code);
});

t.test('a remote reader gets the holder\'s coded refusal, not a generic failure', async (t) => {
  const holder = await servingNode(t);
  const ref = await holder.store.put(Buffer.from('x'), { contentType: 'text/plain' });
  const worker = await diskStore(t);
  const tampered = { ...ref, token: signBlobToken(Buffer.alloc(32, 5), ref.id, Date.now() + 60_000) };
  t.equal(await codeOf(worker.read(tampered)), errors.blobs.TOKEN_INVALID.code);
  await holder.store.delete(ref.id);
  t.equal(await codeOf(worker.read(ref)), errors.blobs.NOT_FOUND.code);
  t.equal(await codeOf(worker.read({ ...ref, url: 'http://127.0.0.1:1/v1/blobs/x' })), errors.blobs.FETCH_FAILED.code, 'an unreachable holder');
  const { url: _url, ...local } = ref;
  t.equal(await codeOf(worker.read(local)), errors.blobs.NOT_FOUND.code, 'no URL and not here');
});
