import t from 'tap';
import { buffer as collect } from 'node:stream/consumers';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { errors, isLpxError } from '@lpx/sdk';
import { BlobStore, S3Backend, type S3BackendOptions } from '../../src/blobs/index.js';
import { SECRET, tempDir } from './blob-fixtures.js';

// A real S3-compatible server (s3rver, from npm) on a free port: the backend's SigV4 requests,
// XML listing and metadata headers are exercised over HTTP, not mocked.
const directory = await tempDir(t, 'lpx-s3rver-');
const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'lpx-test', configs: [] }] });
const { port } = await server.run();
t.teardown(() => server.close());

function options(prefix: string): S3BackendOptions {
  return { endpoint: `http://127.0.0.1:${port}`, bucket: 'lpx-test', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', prefix };
}

async function s3Store(prefix: string, overrides: Partial<ConstructorParameters<typeof S3Backend>[0]> = {}, limits: { quotaBytes?: number; now?: () => number } = {}): Promise<BlobStore> {
  return BlobStore.open({ backend: new S3Backend({ ...options(prefix), ...overrides }), secret: SECRET, maxBlobBytes: 8 * 1024 * 1024, quotaBytes: limits.quotaBytes ?? 64 * 1024 * 1024, ttlSeconds: 3600, ...(limits.now ? { now: limits.now } : {}) });
}

t.test('put, stat, open, list and delete against an S3-compatible server', async (t) => {
  const store = await s3Store('a/');
  const bytes = Buffer.alloc(3 * 1024 * 1024, 5);
  const ref = await store.put(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), { contentType: 'video/mp2t', owner: 'job:{lpx}|{lpx}:cap.x.y.v1:abc' });
  t.equal(ref.size, bytes.length);
  const meta = await store.backend.stat(ref.id);
  t.match(meta, { id: ref.id, size: bytes.length, contentType: 'video/mp2t', owner: 'job:{lpx}|{lpx}:cap.x.y.v1:abc' });
  t.ok(meta!.expiresAt > Date.now());
  const opened = await store.open(ref);
  t.same(await collect(opened.stream), bytes);
  const listed = [];
  for await (const m of store.list()) listed.push(m.id);
  t.same(listed, [ref.id]);
  t.ok(await store.delete(ref.id));
  t.notOk(await store.delete(ref.id), 'a second delete finds nothing');
  let code: string | undefined;
  try {
    await store.read({ ...ref, url: undefined } as never);
  } catch (error) {
    code = isLpxError(error) ? error.code : String(error);
  }
  t.equal(code, errors.blobs.NOT_FOUND.code);
});

t.test('quota and expiry work the same over S3; usage is recounted from the bucket on open', async (t) => {
  let now = Date.now();
  const store = await s3Store('b/', {}, { quotaBytes: 1_000_000, now: () => now });
  await store.put(Buffer.alloc(600_000), { contentType: 'application/octet-stream', ttlSeconds: 60 });
  let code: string | undefined;
  try {
    await store.put(Buffer.alloc(500_000), { contentType: 'application/octet-stream' });
  } catch (error) {
    code = isLpxError(error) ? error.code : String(error);
  }
  t.equal(code, errors.blobs.QUOTA_EXCEEDED.code);
  const reopened = await s3Store('b/', {}, { quotaBytes: 1_000_000 });
  t.equal(reopened.usedBytes, 600_000, 'a restarted node counts what the bucket holds');
  now += 61_000;
  t.same(await store.sweep(), { expired: 1, partial: 0 });
  t.equal(store.usedBytes, 0);
});

t.test('a failing S3 endpoint is a coded backend error', async (t) => {
  const broken = new S3Backend({ ...options('c/'), endpoint: 'http://127.0.0.1:1' });
  let code: string | undefined;
  try {
    await broken.stat('a'.repeat(32));
  } catch (error) {
    code = isLpxError(error) ? error.code : String(error);
  }
  t.equal(code, errors.blobs.BACKEND_FAILED.code);
  const missingBucket = new S3Backend({ ...options('c/'), bucket: 'no-such-bucket' });
  code = undefined;
  try {
    await missingBucket.write({ id: 'b'.repeat(32), contentType: 'text/plain', createdAt: 0, expiresAt: 1 }, Readable.from([Buffer.from('x')]));
  } catch (error) {
    code = isLpxError(error) ? error.code : String(error);
  }
  t.equal(code, errors.blobs.BACKEND_FAILED.code, 'a refused PUT');
});
