import t from 'tap';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer as collect } from 'node:stream/consumers';
import { errors, isLpxError } from '@lpx/sdk';
import { DiskBackend, loadBlobSecret, signBlobToken, verifyBlobToken } from '../../src/blobs/index.js';
import { countBlobs, diskStore, SECRET, tempDir, codeOf } from './blob-fixtures.js';

function chunks(total: number, size = 64 * 1024): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(size, total - sent);
      sent += n;
      this.push(Buffer.alloc(n, 7));
    },
  });
}

t.test('a buffer and a stream go in and come back byte for byte, with their content type', async (t) => {
  const store = await diskStore(t);
  const bytes = Buffer.from('hello blobs');
  const ref = await store.put(bytes, { contentType: 'text/plain' });
  t.match(ref, { size: bytes.length, contentType: 'text/plain' });
  t.match(ref.id, /^[0-9a-f]{32}$/);
  t.same(await store.read(ref), bytes);
  const streamed = await store.put(chunks(1_000_000), { contentType: 'video/mp2t' });
  t.equal(streamed.size, 1_000_000);
  const opened = await store.open(streamed);
  t.equal(opened.meta.contentType, 'video/mp2t');
  t.equal((await collect(opened.stream)).length, 1_000_000);
  t.equal(store.usedBytes, bytes.length + 1_000_000);
  t.ok(await store.delete(ref.id));
  t.equal(await codeOf(store.read(ref)), errors.blobs.NOT_FOUND.code, 'a deleted blob is gone');
  t.equal(store.usedBytes, 1_000_000);
});

t.test('over maxBlobBytes: coded 413, nothing written, from a buffer or mid-stream', async (t) => {
  const dir = await tempDir(t);
  const store = await diskStore(t, { dir, maxBlobBytes: 100_000 });
  t.equal(await codeOf(store.put(Buffer.alloc(100_001), { contentType: 'application/octet-stream' })), errors.blobs.TOO_LARGE.code);
  t.equal(await codeOf(store.put(chunks(1_000_000, 10_000), { contentType: 'application/octet-stream' })), errors.blobs.TOO_LARGE.code);
  t.equal(await countBlobs(store), 0);
  t.same(await readdir(join(dir, 'tmp')), [], 'no temp file left behind');
  t.equal(store.usedBytes, 0);
  t.equal(store.inFlightBytes, 0);
  t.ok(await store.put(Buffer.alloc(100_000), { contentType: 'application/octet-stream' }), 'exactly the limit is fine');
});

t.test('over the quota: coded 507, the partial upload removed, earlier blobs intact', async (t) => {
  const dir = await tempDir(t);
  const store = await diskStore(t, { dir, quotaBytes: 1_000_000 });
  const first = await store.put(Buffer.alloc(600_000, 1), { contentType: 'application/octet-stream' });
  t.equal(await codeOf(store.put(Buffer.alloc(500_000), { contentType: 'application/octet-stream' })), errors.blobs.QUOTA_EXCEEDED.code);
  t.equal(await codeOf(store.put(chunks(500_000, 50_000), { contentType: 'application/octet-stream' })), errors.blobs.QUOTA_EXCEEDED.code, 'a stream is cut off at the quota');
  t.equal(await countBlobs(store), 1);
  t.same(await readdir(join(dir, 'tmp')), []);
  t.equal(store.usedBytes, 600_000);
  t.equal((await store.read(first)).length, 600_000);
  await store.delete(first.id);
  t.ok(await store.put(Buffer.alloc(900_000), { contentType: 'application/octet-stream' }), 'space freed by a delete is usable');
});

t.test('a source stream that errors stores nothing', async (t) => {
  const dir = await tempDir(t);
  const store = await diskStore(t, { dir });
  const broken = new Readable({ read() { this.destroy(new Error('client went away')); } });
  t.match(await codeOf(store.put(broken, { contentType: 'text/plain' })), /client went away/);
  t.equal(await countBlobs(store), 0);
  t.same(await readdir(join(dir, 'tmp')), []);
});

t.test('the sweeper deletes expired blobs and stale partial writes, and keeps live ones', async (t) => {
  const dir = await tempDir(t);
  let now = Date.now();
  const store = await diskStore(t, { dir, now: () => now });
  const short = await store.put(Buffer.from('a'), { contentType: 'text/plain', ttlSeconds: 60 });
  const long = await store.put(Buffer.from('b'), { contentType: 'text/plain', ttlSeconds: 3600 });
  now += 61_000;
  t.same(await store.sweep(), { expired: 1, partial: 0 });
  t.equal(await codeOf(store.read(short)), errors.blobs.NOT_FOUND.code);
  t.same(await store.read(long), Buffer.from('b'));
  t.equal(store.usedBytes, 1);
  const backend = new DiskBackend(dir);
  const { writeFile, utimes } = await import('node:fs/promises');
  const stale = join(dir, 'tmp', 'deadbeef.partial');
  await writeFile(stale, 'half');
  const old = new Date(Date.now() - 3_600_000);
  await utimes(stale, old, old);
  t.equal(await backend.cleanupPartial(600_000), 1, 'a temp file from a crashed write is removed');
});

t.test('after a restart the same directory serves the same blobs, counted against the quota', async (t) => {
  const dir = await tempDir(t);
  const first = await diskStore(t, { dir });
  const ref = await first.put(Buffer.alloc(12_345, 3), { contentType: 'application/octet-stream' });
  first.close();
  const second = await diskStore(t, { dir });
  t.equal(second.usedBytes, 12_345);
  t.equal((await second.read(ref)).length, 12_345);
  const unreachable = { ...ref, url: `http://127.0.0.1:1/v1/blobs/${ref.id}` };
  t.equal((await second.read(unreachable)).length, 12_345, 'a process sharing the directory reads the file, never the URL');
  const opened = await second.openWithToken(ref.id, ref.token);
  t.equal(opened.meta.size, 12_345, 'the old token is still valid');
  opened.stream.destroy();
});

t.test('tokens: valid, expired (401), forged or for another blob (403), missing (401), malformed id (400)', async (t) => {
  const id = 'a'.repeat(32);
  const now = Date.now();
  const token = signBlobToken(SECRET, id, now + 60_000);
  t.doesNotThrow(() => verifyBlobToken(SECRET, id, token, now));
  const code = (fn: () => void): string | undefined => {
    try {
      fn();
      return undefined;
    } catch (error) {
      return isLpxError(error) ? error.code : 'uncoded';
    }
  };
  t.equal(code(() => verifyBlobToken(SECRET, id, token, now + 61_000)), errors.blobs.TOKEN_EXPIRED.code);
  t.equal(code(() => verifyBlobToken(SECRET, 'b'.repeat(32), token, now)), errors.blobs.TOKEN_INVALID.code);
  t.equal(code(() => verifyBlobToken(Buffer.alloc(32, 1), id, token, now)), errors.blobs.TOKEN_INVALID.code);
  const [exp, sig] = token.split('.');
  t.equal(code(() => verifyBlobToken(SECRET, id, `${Number(exp) + 3600}.${sig}`, now)), errors.blobs.TOKEN_INVALID.code, 'a pushed-back expiry breaks the signature');
  t.equal(code(() => verifyBlobToken(SECRET, id, undefined, now)), errors.blobs.TOKEN_MISSING.code);
  t.equal(code(() => verifyBlobToken(SECRET, id, 'junk', now)), errors.blobs.TOKEN_INVALID.code);
  const store = await diskStore(t);
  t.equal(await codeOf(store.openWithToken('../../etc/passwd', token)), errors.blobs.INVALID_REF.code);
});

t.test('the generated secret is kept (0600) and reused; a configured one wins', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'blobs-secret');
  const [a, b] = await Promise.all([loadBlobSecret(undefined, path), loadBlobSecret(undefined, path)]);
  t.same(a, b, 'two processes racing agree on one secret');
  t.same(await loadBlobSecret(undefined, path), a, 'and it survives a restart');
  const { stat } = await import('node:fs/promises');
  t.equal((await stat(path)).mode & 0o777, 0o600);
  t.same(await loadBlobSecret('x'.repeat(40), path), Buffer.from('x'.repeat(40)));
});
