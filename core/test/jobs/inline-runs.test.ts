// Synchronous jobs run in this process without the queue (ADR 0067), on a
// real Redis: no BullMQ job is ever written for them, the inline ledger holds
// each while it runs and nothing after; retries wait out the backoff here;
// the lane's concurrency bounds them and the rest take the queue; a closing
// kernel queues what it cannot finish; and a dead process's ledger is swept
// into the queue by a kernel with workers, while a live one's is left alone.
import t from 'tap';
import { UnrecoverableError } from 'bullmq';
import { JobsKernel } from '../../src/jobs/index.js';
import { backoffDelay } from '../../src/jobs/inline-runs.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

function kernel(t: { teardown(fn: () => unknown): void }, prefix: string, worker: { drainTimeoutMs?: number; stalledIntervalMs?: number } = {}) {
  const jobs = new JobsKernel({ connection, prefix, worker });
  t.teardown(() => jobs.close());
  return jobs;
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const ledgerKeys = (prefix: string): Promise<string[]> => connection.keys(`${prefix}:inline:*`);

async function ledgerSize(prefix: string): Promise<number> {
  let size = 0;
  for (const key of await ledgerKeys(prefix)) size += await connection.hlen(key);
  return size;
}

/** A finished job's clear leaves after its answer (it may wait for the next record, CLEAR_DELAY_MS). */
async function ledgerSizeOnceSettled(prefix: string): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const size = await ledgerSize(prefix);
    if (size === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return ledgerSize(prefix);
}

t.test('a job run inline never becomes a BullMQ job, and the ledger holds it only while it runs', async (t) => {
  const prefix = uniquePrefix('inline-run');
  const jobs = kernel(t, prefix);
  const release = deferred();
  const entered = deferred();
  jobs.registerProcessor<{ n: number }, { n: number }>('test/inline', async (job) => {
    entered.resolve();
    await release.promise;
    return { n: job.data.n + 1 };
  });
  jobs.start();
  const answer = jobs.submitAndWait('test/inline', { n: 41 }, { jobId: 'inline-1', freshId: true, inline: true, timeoutMs: 10_000 });
  await entered.promise;
  const [key] = await ledgerKeys(prefix);
  t.ok(key, 'the process has a ledger');
  t.same(JSON.parse((await connection.hget(key!, 'inline-1'))!), { capabilityId: 'test/inline', data: { n: 41 }, attempts: 3, backoff: { type: 'exponential', delay: 500 }, attemptsMade: 0 }, 'the job as the queue would hold it, written before it ran');
  release.resolve();
  t.same(await answer, { n: 42 });
  t.equal(await ledgerSizeOnceSettled(prefix), 0, 'nothing left in the ledger');
  t.equal(await jobs.queueFor('test/inline').getJob('inline-1'), undefined, 'no BullMQ job');
  t.same(await jobs.queueFor('test/inline').getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed'), { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 });
  // Without `inline` the same kernel queues the job, as before.
  t.same(await jobs.submitAndWait('test/inline', { n: 1 }, { jobId: 'queued-1', freshId: true, timeoutMs: 10_000 }), { n: 2 });
  t.equal(await jobs.queueFor('test/inline').getJobState('queued-1'), 'completed', 'a queued job is a BullMQ job');
});

t.test('a failed attempt is retried here after its backoff; a final or unrecoverable failure settles the caller', async (t) => {
  const prefix = uniquePrefix('inline-retry');
  const jobs = kernel(t, prefix);
  const attempts: number[] = [];
  jobs.registerProcessor<{ failures: number; unrecoverable?: boolean }, { attempt: number }>('test/retry', async (job) => {
    attempts.push(job.attempt);
    if (job.data.unrecoverable === true) throw new UnrecoverableError('no point in trying again');
    if (job.attempt <= job.data.failures) throw new Error(`attempt ${job.attempt} failed`);
    return { attempt: job.attempt };
  });
  jobs.start();
  const backoff = { type: 'fixed' as const, delayMs: 20 };
  t.same(await jobs.submitAndWait('test/retry', { failures: 2 }, { inline: true, attempts: 3, backoff, timeoutMs: 10_000 }), { attempt: 3 });
  t.same(attempts, [1, 2, 3], 'each attempt numbered as the queue would');
  attempts.length = 0;
  await t.rejects(jobs.submitAndWait('test/retry', { failures: 5 }, { inline: true, attempts: 2, backoff, timeoutMs: 10_000 }), { code: 'LPX_ERR_JOBS_FAILED', message: /attempt 2 failed/ });
  t.same(attempts, [1, 2], 'no attempt past the last allowed');
  attempts.length = 0;
  await t.rejects(jobs.submitAndWait('test/retry', { failures: 0, unrecoverable: true }, { inline: true, attempts: 3, backoff, timeoutMs: 10_000 }), { code: 'LPX_ERR_JOBS_FAILED', message: /no point/ });
  t.same(attempts, [1], 'an unrecoverable failure is not retried');
  t.equal(await ledgerSizeOnceSettled(prefix), 0);
  t.same(await jobs.queueFor('test/retry').getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed'), { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 }, 'the queue never saw them');
  t.equal(backoffDelay({ type: 'exponential', delay: 500 }, 3), 2_000, 'exponential doubles per attempt made, as BullMQ');
  t.equal(backoffDelay(undefined, 3), 0);
});

t.test('a ledger write Redis refuses fails the caller, and the job does not run', async (t) => {
  const prefix = uniquePrefix('inline-refused');
  const jobs = kernel(t, prefix);
  let runs = 0;
  jobs.registerProcessor<{ n: number }, { n: number }>('test/inline', async (job) => {
    runs++;
    return { n: job.data.n };
  });
  jobs.start();
  t.same(await jobs.submitAndWait('test/inline', { n: 1 }, { freshId: true, inline: true, timeoutMs: 10_000 }), { n: 1 }, 'the first job takes the lease and runs');
  const [owner] = await connection.smembers(`${prefix}:inline-owners`);
  // A key of the wrong type makes the ledger's HSET fail, as a broken Redis would.
  await connection.set(`${prefix}:inline:${owner!}`, 'not a hash');
  await t.rejects(jobs.submitAndWait('test/inline', { n: 2 }, { freshId: true, inline: true, timeoutMs: 10_000 }), /WRONGTYPE/, 'the caller gets the refusal');
  t.equal(runs, 1, 'the job whose record was refused never ran');
  t.same(await jobs.queueFor('test/inline').getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed'), { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 }, 'nor was it queued');
  await connection.del(`${prefix}:inline:${owner!}`);
});

t.test('inline jobs are bounded by the concurrency: the rest take the queue and are answered all the same', async (t) => {
  const prefix = uniquePrefix('inline-bound');
  const jobs = kernel(t, prefix);
  const release = deferred();
  let running = 0;
  jobs.registerProcessor<{ n: number }, { n: number }>(
    'test/bound',
    async (job) => {
      running++;
      await release.promise;
      return { n: job.data.n };
    },
    { concurrency: 1 },
  );
  jobs.start();
  const first = jobs.submitAndWait('test/bound', { n: 1 }, { jobId: 'bound-1', freshId: true, inline: true, timeoutMs: 10_000 });
  const second = jobs.submitAndWait('test/bound', { n: 2 }, { jobId: 'bound-2', freshId: true, inline: true, timeoutMs: 10_000 });
  for (let i = 0; i < 200 && running < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.equal(running, 2, 'both run: one inline, one by the worker');
  release.resolve();
  t.same(await Promise.all([first, second]), [{ n: 1 }, { n: 2 }]);
  t.equal(await jobs.queueFor('test/bound').getJob('bound-1'), undefined, 'the first ran inline');
  t.equal(await jobs.queueFor('test/bound').getJobState('bound-2'), 'completed', 'the second was queued');
});

t.test('a closing kernel queues the inline jobs it cannot finish in time, with the attempts they have left', async (t) => {
  const prefix = uniquePrefix('inline-close');
  const jobs = new JobsKernel({ connection, prefix, worker: { drainTimeoutMs: 200 } });
  const entered = deferred();
  jobs.registerProcessor<{ n: number }, { n: number }>('test/close', async (job) => {
    entered.resolve();
    await new Promise((resolve) => job.signal.addEventListener('abort', resolve));
    throw new Error('aborted');
  });
  jobs.start();
  const answer = jobs.submitAndWait('test/close', { n: 7 }, { jobId: 'close-1', freshId: true, inline: true, attempts: 3, timeoutMs: 10_000 });
  await entered.promise;
  const refused = t.rejects(answer, { code: 'LPX_ERR_JOBS_CLOSED' }, 'the caller learns the node is closing');
  await jobs.close();
  await refused;
  const after = new JobsKernel({ connection, prefix });
  t.teardown(() => after.close());
  const job = await after.queueFor('test/close').getJob('close-1');
  t.same(job?.data, { n: 7 }, 'queued under its own id');
  t.equal(job?.opts.attempts, 3, 'the aborted attempt is not counted against it');
  t.equal(await ledgerSize(prefix), 0, 'and gone from the ledger');
  t.same(await connection.smembers(`${prefix}:inline-owners`), [], 'the closed process left the owners');
});

t.test('a dead process’s ledger is swept into the queue and run; a live one’s is left alone', async (t) => {
  const prefix = uniquePrefix('inline-sweep');
  const entry = (n: number) => JSON.stringify({ capabilityId: 'test/sweep', data: { n }, attempts: 3, backoff: { type: 'fixed', delay: 10 }, attemptsMade: 1 });
  // A process that died with two jobs under way (no lease), and one alive (its lease renewed).
  await connection.multi().sadd(`${prefix}:inline-owners`, 'dead', 'alive').hset(`${prefix}:inline:dead`, 'dead-1', entry(1), 'dead-2', entry(2)).hset(`${prefix}:inline:alive`, 'alive-1', entry(3)).set(`${prefix}:inline-alive:alive`, '1', 'PX', 60_000).exec();
  const jobs = kernel(t, prefix);
  const seen: { n: number; attempt: number }[] = [];
  jobs.registerProcessor<{ n: number }, { n: number }>('test/sweep', async (job) => {
    seen.push({ n: job.data.n, attempt: job.attempt });
    return { n: job.data.n * 10 };
  });
  jobs.start();
  t.equal(await jobs.sweepInline(), 2, 'the dead process’s two jobs');
  for (let i = 0; i < 300 && seen.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.same(seen.sort((a, b) => a.n - b.n), [{ n: 1, attempt: 1 }, { n: 2, attempt: 1 }], 'each ran once, from the queue');
  const queue = jobs.queueFor('test/sweep');
  t.equal((await queue.getJob('dead-1'))?.opts.attempts, 2, 'with the attempts it had left');
  t.equal(await connection.exists(`${prefix}:inline:dead`), 0, 'the dead ledger is gone');
  t.notOk((await connection.smembers(`${prefix}:inline-owners`)).includes('dead'), 'and its owner');
  t.equal(await connection.hlen(`${prefix}:inline:alive`), 1, 'a live process keeps its jobs');
  t.equal(await queue.getJob('alive-1'), undefined);
  t.equal(await jobs.sweepInline(), 0, 'a second sweep finds nothing');
});
