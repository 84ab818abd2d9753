import t from 'tap';
import { errors } from '@lpx/sdk';
import { ResultWaiters, type FinishedJob } from '../../src/jobs/result-waiters.js';

t.test('a waiter whose event never comes is settled by re-reading the job state', async (t) => {
  let reads = 0;
  const waiters = new ResultWaiters('video/transcode', async (): Promise<FinishedJob> => {
    reads++;
    return { state: 'completed', result: 'from-poll' };
  }, 30);
  t.equal(await waiters.wait('job-1', 5_000), 'from-poll');
  t.ok(reads >= 1);
  t.equal(waiters.size, 0, 'the poll timer stops with no waiters left');
});

t.test('a polled failure rejects with LPX_ERR_JOBS_FAILED carrying the reason', async (t) => {
  const waiters = new ResultWaiters('video/transcode', async () => ({ state: 'failed', reason: 'codec missing' }), 30);
  await t.rejects(waiters.wait('job-2', 5_000), { code: errors.jobs.FAILED.code, message: /codec missing/ });
});

t.test('several waiters on one id all settle; reject() and rejectAll() reach the right ones', async (t) => {
  const waiters = new ResultWaiters('video/transcode', async () => undefined, 60_000);
  const a = waiters.wait('same', 5_000);
  const b = waiters.wait('same', 5_000);
  waiters.settle('same', { state: 'completed', result: 1 });
  t.same(await Promise.all([a, b]), [1, 1]);
  waiters.settle('unknown', { state: 'completed', result: 1 }); // no waiter: a no-op

  const c = waiters.wait('add-failed', 5_000);
  waiters.reject('add-failed', new Error('connection reset'));
  await t.rejects(c, { message: 'connection reset' });

  const d = waiters.wait('d', 5_000);
  const e = waiters.wait('e', 5_000);
  waiters.rejectAll(errors.jobs.CLOSED.create('closing'));
  await t.rejects(d, { code: errors.jobs.CLOSED.code });
  await t.rejects(e, { code: errors.jobs.CLOSED.code });
  t.equal(waiters.size, 0);
});
