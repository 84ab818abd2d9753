// Waiters in the worker's own process are settled by that worker's events
// (ADR 0061), and only by the ones that are final: a completed job, or a
// failure BullMQ recorded for good. Then, end to end on Redis: a submitter
// in the worker's process gets its result only once the job is completed in
// Redis (the durability the events stream gave).
import { EventEmitter } from 'node:events';
import t from 'tap';
import type { Worker } from 'bullmq';
import { JobsKernel } from '../../src/jobs/index.js';
import { settleLocally } from '../../src/jobs/local-results.js';
import { ResultWaiters } from '../../src/jobs/result-waiters.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

function harness() {
  const worker = new EventEmitter();
  const waiters = new ResultWaiters('test/local', async () => undefined, 60_000);
  settleLocally(worker as unknown as Worker, waiters, undefined, undefined, 'test/local');
  return { worker, waiters };
}

t.test('a completed job settles its local waiter with the stored (JSON) copy of the result', async (t) => {
  const { worker, waiters } = harness();
  const waiting = waiters.wait('j1', 10_000);
  const result = { text: 'hi', gone: undefined, at: new Date(0) };
  worker.emit('completed', { id: 'j1' }, result, 'active');
  const got = await waiting;
  t.same(got, { text: 'hi', at: '1970-01-01T00:00:00.000Z' });
  t.not(got, result, 'not the processor object itself');
  t.notOk(waiters.has('j1'));
});

t.test('an undefined result arrives as null, as from the events stream', async (t) => {
  const { worker, waiters } = harness();
  const waiting = waiters.wait('j0', 10_000);
  worker.emit('completed', { id: 'j0' }, undefined, 'active');
  t.equal(await waiting, null);
});

t.test('a failed attempt that will be retried settles nothing; a final failure rejects with its reason', async (t) => {
  const { worker, waiters } = harness();
  const waiting = waiters.wait('j2', 10_000);
  worker.emit('failed', { id: 'j2', failedReason: 'first try', finishedOn: undefined }, new Error('first try'), 'active');
  t.ok(waiters.has('j2'), 'still waiting after a retried attempt');
  worker.emit('failed', { id: 'j2', failedReason: 'for good', finishedOn: Date.now() }, new Error('for good'), 'active');
  await t.rejects(waiting, { code: 'LPX_ERR_JOBS_FAILED', message: /for good/ });
});

t.test('jobs nobody here waits for, and a second settle, are ignored', async (t) => {
  const { worker, waiters } = harness();
  worker.emit('completed', { id: 'other' }, { x: 1 }, 'active');
  worker.emit('failed', undefined, new Error('no job'), 'active');
  const waiting = waiters.wait('j3', 10_000);
  worker.emit('completed', { id: 'j3' }, 1, 'active');
  waiters.settle('j3', { state: 'failed', reason: 'late stream entry' });
  t.equal(await waiting, 1);
  t.equal(waiters.size, 0);
});

t.test('end to end: when a submitter in the worker process has its result, the job is already completed in Redis', async (t) => {
  const redis = await testRedis(t);
  const connection = await redis.connect();
  const kernel = new JobsKernel({ connection, prefix: uniquePrefix('local-results') });
  t.teardown(() => kernel.close());
  kernel.registerProcessor<{ n: number }, { doubled: number }>('test/local', async (job) => ({ doubled: job.data.n * 2 }));
  kernel.start();
  for (let n = 0; n < 20; n++) {
    const jobId = `job-${n}`;
    t.same(await kernel.submitAndWait('test/local', { n }, { jobId, timeoutMs: 20_000 }), { doubled: n * 2 });
    const status = await kernel.getStatus('test/local', jobId);
    t.equal(status?.state, 'completed', `job ${n} completed in Redis`);
  }
});
