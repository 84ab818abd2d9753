import t from 'tap';
import { createHash } from 'node:crypto';
import { fastify, type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { errors, isLpxError } from '@lpx/sdk';
import { JobsKernel } from '../../src/jobs/index.js';
import type { BlobStore } from '../../src/blobs/index.js';
import { registerBlobRoutes } from '../../src/blobs/index.js';
import { installProblemJson } from '../../src/http/problem-json.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { countBlobs, diskStore, tempDir } from '../blobs/blob-fixtures.js';

const redis = await testRedis(t);
const connection = await redis.connect();
const MB15 = 15 * 1024 * 1024;
const INLINE_MAX = 64 * 1024;

type Tt = { teardown(fn: () => unknown): void };

function kernelWith(tt: Tt, store: BlobStore, extra: Partial<ConstructorParameters<typeof JobsKernel>[0]> = {}): JobsKernel {
  const kernel = new JobsKernel({ connection, prefix: uniquePrefix('jobblobs'), blobs: { store, inlineMaxBytes: INLINE_MAX, reapGraceMs: 0 }, ...extra });
  tt.teardown(() => kernel.close());
  return kernel;
}

function bigText(bytes: number, seed: string): string {
  return seed.repeat(Math.ceil(bytes / seed.length)).slice(0, bytes);
}

function sha(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Bytes Redis spends on every key of a kernel's prefix (hashes, lists, streams): MEMORY USAGE, not timing. */
async function prefixBytes(client: Redis, prefix: string): Promise<{ total: number; largest: number; keys: number }> {
  let cursor = '0';
  let total = 0;
  let largest = 0;
  let keys = 0;
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of batch) {
      const bytes = Number((await client.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
      total += bytes;
      largest = Math.max(largest, bytes);
      keys++;
    }
  } while (cursor !== '0');
  return { total, largest, keys };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

t.test('a 15 MB input is a small reference in Redis; the processor still gets all of it', async (t) => {
  const store = await diskStore(t);
  const kernel = kernelWith(t, store);
  const text = bigText(MB15, 'input-');
  let seen: { length: number; sha: string } | undefined;
  kernel.registerProcessor<{ text: string; n: number }, string>('media/big-in', async (job) => {
    seen = { length: job.data.text.length, sha: sha(job.data.text) };
    return `got ${job.data.n}`;
  });
  const { id } = await kernel.submit('media/big-in', { text, n: 7 });
  const jobKey = kernel.queueFor('media/big-in').toKey(id);
  const hashBytes = Number(await connection.call('MEMORY', 'USAGE', jobKey, 'SAMPLES', '0'));
  t.ok(hashBytes < 4096, `the job hash holds ${hashBytes} bytes, not 15 MB`);
  const raw = JSON.parse((await connection.hget(jobKey, 'data'))!) as { text: unknown; n: unknown };
  t.ok(typeof raw.text === 'object' && raw.text !== null && '$lpxBlob' in raw.text, 'the large field is a blob reference');
  t.equal(raw.n, 7, 'the small field stays readable in Redis (a route job keeps its tenant visible)');
  t.equal(await countBlobs(store), 1);
  kernel.start();
  await until(async () => (await kernel.getStatus('media/big-in', id))?.state === 'completed');
  t.same(seen, { length: MB15, sha: sha(text) });
  t.equal((await kernel.getStatus('media/big-in', id))?.result, 'got 7');
  await until(async () => (await countBlobs(store)) === 0);
  t.pass('the input blob is released once the job completed');
});

t.test('a 15 MB result is a reference in Redis (hash and event stream); callers get the whole result', async (t) => {
  const store = await diskStore(t);
  const kernel = kernelWith(t, store);
  const text = bigText(MB15, 'result-');
  kernel.registerProcessor<{ n: number }, { text: string; n: number }>('media/big-out', async (job) => ({ text, n: job.data.n }));
  kernel.start();
  const result = await kernel.submitAndWait<{ n: number }, { text: string; n: number }>('media/big-out', { n: 1 }, { jobId: 'big-out-1' });
  t.equal(result.n, 1);
  t.equal(sha(result.text), sha(text), 'submitAndWait resolves the reference');
  const status = await kernel.getStatus<{ text: string }>('media/big-out', 'big-out-1');
  t.equal(sha(status!.result!.text), sha(text), 'getStatus resolves it too');
  const queue = kernel.queueFor('media/big-out');
  t.ok(Number(await connection.call('MEMORY', 'USAGE', queue.toKey('big-out-1'), 'SAMPLES', '0')) < 4096, 'the completed job hash is small');
  t.ok(Number(await connection.call('MEMORY', 'USAGE', queue.toKey('events'), 'SAMPLES', '0')) < 64 * 1024, 'the completed event carried the reference, not 15 MB');
  const again = await kernel.submitAndWait<{ n: number }, { text: string }>('media/big-out', { n: 1 }, { jobId: 'big-out-1' });
  t.equal(sha(again.text), sha(text), 'an idempotent re-submit reads the kept result through its reference');
});

t.test('eleven 15 MB async jobs leave Redis holding kilobytes', async (t) => {
  const store = await diskStore(t);
  const kernel = kernelWith(t, store);
  const done = new Set<string>();
  kernel.registerProcessor<{ text: string; i: number }, { echo: string }>('media/eleven', async (job) => ({ echo: job.data.text }), { concurrency: 4 });
  const before = Number(/used_memory:(\d+)/.exec(await connection.info('memory'))![1]);
  const ids: string[] = [];
  for (let i = 0; i < 11; i++) ids.push((await kernel.submit('media/eleven', { text: bigText(MB15, `job${i}-`), i })).id);
  const queued = await prefixBytes(connection, kernel.prefix);
  t.ok(queued.total < 256 * 1024, `eleven queued jobs take ${queued.total} bytes of Redis (largest key ${queued.largest})`);
  kernel.start();
  await until(async () => {
    for (const id of ids) if ((await kernel.getStatus('media/eleven', id))?.state === 'completed') done.add(id);
    return done.size === ids.length;
  }, 120_000);
  const after = await prefixBytes(connection, kernel.prefix);
  t.ok(after.largest < 64 * 1024, `no key over 64 KiB after completion (largest ${after.largest})`);
  t.ok(after.total < 512 * 1024, `all keys: ${after.total} bytes for 11 × 15 MB in and out`);
  const grown = Number(/used_memory:(\d+)/.exec(await connection.info('memory'))![1]) - before;
  t.ok(grown < 16 * 1024 * 1024, `Redis used_memory grew by ${grown} bytes, less than one payload (it held ${11 * 2 * MB15} bytes of payload)`);
  const status = await kernel.getStatus<{ echo: string }>('media/eleven', ids[10]!);
  t.ok(status!.result!.echo.startsWith('job10-'), 'results still read back whole');
  t.equal(status!.result!.echo.length, MB15);
});

t.test('Buffers travel as bytes: large ones as their own raw blob, small ones inline, both back as Buffers', async (t) => {
  const store = await diskStore(t);
  const kernel = kernelWith(t, store);
  const big = Buffer.alloc(2 * 1024 * 1024, 0xab);
  const small = Buffer.from([1, 2, 3]);
  let got: { big: unknown; small: unknown } | undefined;
  kernel.registerProcessor<{ big: Buffer; small: Buffer }, { out: Buffer }>('media/bytes', async (job) => {
    got = job.data;
    return { out: Buffer.concat([job.data.small, job.data.big.subarray(0, 10)]) };
  });
  const { id } = await kernel.submit('media/bytes', { big, small });
  let stored = 0;
  for await (const meta of store.list()) {
    t.equal(meta.contentType, 'application/octet-stream');
    stored += meta.size;
  }
  t.equal(stored, big.length, 'the big Buffer is stored raw, not base64 or a JSON number array');
  kernel.start();
  await until(async () => (await kernel.getStatus('media/bytes', id))?.state === 'completed');
  t.ok(Buffer.isBuffer(got?.big) && Buffer.isBuffer(got?.small));
  t.same(got?.big, big);
  t.same(got?.small, small);
  const result = (await kernel.getStatus<{ out: Buffer }>('media/bytes', id))!.result!;
  t.ok(Buffer.isBuffer(result.out));
  t.same(result.out, Buffer.concat([small, big.subarray(0, 10)]));
});

t.test('quota exceeded on submit: coded error, no job queued, nothing stored', async (t) => {
  const dir = await tempDir(t);
  const store = await diskStore(t, { dir, quotaBytes: 1024 * 1024 });
  const kernel = kernelWith(t, store);
  let error: unknown;
  try {
    await kernel.submit('media/too-big', { text: bigText(2 * 1024 * 1024, 'q') });
  } catch (thrown) {
    error = thrown;
  }
  t.ok(isLpxError(error) && error.code === errors.blobs.QUOTA_EXCEEDED.code, 'LPX_ERR_BLOBS_QUOTA_EXCEEDED');
  t.equal(await kernel.queueFor('media/too-big').count(), 0, 'no job was added');
  t.equal(await countBlobs(store), 0);
  t.equal(store.usedBytes, 0);
  let waitError: unknown;
  try {
    await kernel.submitAndWait('media/too-big', { text: bigText(2 * 1024 * 1024, 'q') }, { timeoutMs: 5_000 });
  } catch (thrown) {
    waitError = thrown;
  }
  t.ok(isLpxError(waitError) && waitError.code === errors.blobs.QUOTA_EXCEEDED.code, 'submitAndWait refuses the same way, at once');
});

t.test('the reaper deletes blobs of jobs removed from Redis and keeps those of pending jobs', async (t) => {
  const store = await diskStore(t);
  const kernel = kernelWith(t, store);
  kernel.registerProcessor<{ text: string }, string>('media/reap', async (job) => job.data.text);
  kernel.start();
  await kernel.submitAndWait('media/reap', { text: bigText(200_000, 'r') }, { jobId: 'reap-1' });
  await until(async () => (await countBlobs(store)) === 1);
  t.equal(await kernel.reapBlobs(), 0, 'the result blob stays while its job is kept');
  await kernel.queueFor('media/reap').remove('reap-1');
  t.equal(await kernel.reapBlobs(), 1, 'the job is gone (retention or by hand): so is its result');
  t.equal(await countBlobs(store), 0);

  const other = kernelWith(t, store);
  await other.submit('media/pending', { text: bigText(200_000, 'p') });
  t.equal(await kernel.reapBlobs(), 0, 'a kernel on another prefix leaves other kernels\' blobs alone');
  t.equal(await other.reapBlobs(), 0, 'a pending job keeps its input');
  t.equal(await countBlobs(store), 1);
});

t.test('nothing is left behind once retention removes a finished job', async (t) => {
  const store = await diskStore(t);
  const kernel = kernelWith(t, store, { retention: { completed: { ageSeconds: 0, count: 0 }, failed: { ageSeconds: 0, count: 0 } } });
  kernel.registerProcessor<{ text: string; fail?: boolean }, string>('media/retained', async (job) => {
    if (job.data.fail) throw new Error('refused');
    return job.data.text.toUpperCase();
  });
  kernel.start();
  const result = await kernel.submitAndWait<{ text: string }, string>('media/retained', { text: bigText(300_000, 'k') });
  t.equal(result.length, 300_000, 'the caller read the result before anything was reaped');
  await kernel.submitAndWait('media/retained', { text: bigText(300_000, 'f'), fail: true }, { attempts: 1 }).catch(() => undefined);
  await until(async () => (await kernel.queueFor('media/retained').getJobCounts('completed', 'failed', 'active', 'wait')).completed === 0);
  t.ok((await countBlobs(store)) > 0, 'the removed jobs\' blobs are still on disk until the reaper runs');
  await kernel.reapBlobs();
  t.equal(await countBlobs(store), 0, 'inputs and results of removed jobs are gone');
  t.equal(store.usedBytes, 0);
});

t.test('a restart keeps the blobs of pending jobs: a new process finds the full input', async (t) => {
  const dir = await tempDir(t);
  const prefix = uniquePrefix('jobblobs-restart');
  const first = await diskStore(t, { dir });
  const before = new JobsKernel({ connection, prefix, blobs: { store: first, inlineMaxBytes: INLINE_MAX } });
  const text = bigText(3 * 1024 * 1024, 'pending-');
  const { id } = await before.submit('media/restart', { text });
  await before.close();
  first.close();

  const second = await diskStore(t, { dir });
  const after = kernelWith(t, second, { prefix });
  let seen = '';
  after.registerProcessor<{ text: string }, number>('media/restart', async (job) => {
    seen = sha(job.data.text);
    return job.data.text.length;
  });
  t.equal(await after.reapBlobs(), 0, 'the pending job\'s blob survives a reap after restart');
  after.start();
  await until(async () => (await after.getStatus('media/restart', id))?.state === 'completed');
  t.equal(seen, sha(text));
});

t.test('a worker that does not share the disk fetches the input over HTTP; a bad token fails the job with a coded reason', async (t) => {
  const holderStore = await diskStore(t);
  const app = fastify() as unknown as FastifyInstance;
  installProblemJson(app);
  registerBlobRoutes(app, holderStore);
  holderStore.setPublicUrl(await app.listen({ host: '127.0.0.1', port: 0 }));
  t.teardown(() => app.close());
  const prefix = uniquePrefix('jobblobs-remote');
  const submitter = kernelWith(t, holderStore, { prefix });
  const workerStore = await diskStore(t);
  const worker = kernelWith(t, workerStore, { prefix });
  const text = bigText(5 * 1024 * 1024, 'remote-');
  const seen: string[] = [];
  worker.registerProcessor<{ text: string }, string>('media/remote', async (job) => {
    seen.push(sha(job.data.text));
    return 'ok';
  });
  worker.start();
  t.equal(await submitter.submitAndWait('media/remote', { text }, { timeoutMs: 30_000 }), 'ok');
  t.same(seen, [sha(text)], 'the remote worker read all of it over HTTP');
  t.equal(await countBlobs(workerStore), 0, 'nothing of it stored on the worker\'s disk');

  // Tamper with the reference in Redis the way a forged or stale token would arrive.
  const { id } = await submitter.submit('media/remote-bad', { text }, { attempts: 1 });
  const key = submitter.queueFor('media/remote-bad').toKey(id);
  const data = JSON.parse((await connection.hget(key, 'data'))!) as { text: { $lpxBlob: { token: string } } };
  data.text.$lpxBlob.token = `${Math.floor(Date.now() / 1000) + 600}.${'A'.repeat(43)}`;
  await connection.hset(key, 'data', JSON.stringify(data));
  worker.registerProcessor('media/remote-bad', async () => 'should not run');
  await until(async () => (await submitter.getStatus('media/remote-bad', id))?.state === 'failed');
  t.match((await submitter.getStatus('media/remote-bad', id))?.failedReason, /does not grant blob/);
});
