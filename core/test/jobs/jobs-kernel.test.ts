import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import { errors, type JobEvent } from '@lpx/sdk';
import { JobsKernel } from '../../src/jobs/index.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

async function kernelFor(tt: { teardown(fn: () => unknown): void }, extra: Partial<ConstructorParameters<typeof JobsKernel>[0]> = {}): Promise<JobsKernel> {
  const kernel = new JobsKernel({ connection, prefix: uniquePrefix('jobs'), ...extra });
  tt.teardown(() => kernel.close());
  return kernel;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

t.test('round trip: submitAndWait returns the processor result, getStatus shows it', async (t) => {
  const kernel = await kernelFor(t);
  kernel.registerProcessor<{ a: number; b: number }, number>('math/add', async (job) => {
    t.equal(job.capabilityId, 'math/add');
    t.equal(job.attempt, 1);
    return job.data.a + job.data.b;
  });
  kernel.start();
  t.equal(await kernel.submitAndWait('math/add', { a: 2, b: 3 }), 5);
  const { id } = await kernel.submit('math/add', { a: 1, b: 1 });
  await until(async () => (await kernel.getStatus('math/add', id))?.state === 'completed');
  const status = await kernel.getStatus<number>('math/add', id);
  t.match(status, { id, capabilityId: 'math/add', state: 'completed', result: 2 });
  t.equal(await kernel.getStatus('math/add', 'no-such-job'), undefined);
  const queue = kernel.queueFor('math/add');
  t.equal(queue.name, 'cap.math.add.v1', 'queue name comes from queueNameFor');
  t.ok(queue.toKey('wait').startsWith(`${kernel.prefix}:cap.math.add.v1`), 'keys carry the hash-tagged prefix');
});

t.test('workers start only when start() is called', async (t) => {
  const kernel = await kernelFor(t);
  let runs = 0;
  kernel.registerProcessor('math/slow-start', async () => ++runs);
  const { id } = await kernel.submit('math/slow-start', {});
  await sleep(300);
  t.equal(runs, 0, 'nothing consumed before start');
  t.equal((await kernel.getStatus('math/slow-start', id))?.state, 'waiting');
  kernel.start();
  await until(async () => (await kernel.getStatus('math/slow-start', id))?.state === 'completed');
  t.equal(runs, 1);
  t.ok(kernel.started);
});

t.test('retries with backoff, then succeeds; retry and final events reach listeners', async (t) => {
  const kernel = await kernelFor(t);
  const events: JobEvent[] = [];
  const off = kernel.onEvent('flaky/work', (event) => events.push(event));
  const attempts: number[] = [];
  kernel.registerProcessor('flaky/work', async (job) => {
    attempts.push(job.attempt);
    if (job.attempt < 3) throw new Error(`boom ${job.attempt}`);
    return 'ok';
  });
  kernel.start();
  const result = await kernel.submitAndWait('flaky/work', {}, { attempts: 3, backoff: { type: 'fixed', delayMs: 20 } });
  t.equal(result, 'ok');
  t.same(attempts, [1, 2, 3]);
  await until(() => events.some((e) => e.type === 'completed'));
  const failures = events.filter((e) => e.type === 'failed');
  t.match(failures, [
    { type: 'failed', reason: 'boom 1', attemptsMade: 1, final: false },
    { type: 'failed', reason: 'boom 2', attemptsMade: 2, final: false },
  ]);
  t.equal(events.filter((e) => e.type === 'active').length, 3);
  off();
});

t.test('a job failing every attempt rejects with LPX_ERR_JOBS_FAILED and keeps the reason', async (t) => {
  const registry = new Registry();
  const kernel = await kernelFor(t, { metrics: registry });
  const events: JobEvent[] = [];
  kernel.onEvent('broken/work', (event) => events.push(event));
  kernel.registerProcessor('broken/work', async () => {
    throw new Error('disk on fire');
  });
  kernel.start();
  const error = await kernel.submitAndWait('broken/work', {}, { jobId: 'doomed-1', attempts: 2, backoff: { type: 'exponential', delayMs: 10 } }).catch((e: unknown) => e);
  t.ok(errors.jobs.FAILED.is(error));
  t.match((error as Error).message, /disk on fire/);
  const status = await kernel.getStatus('broken/work', 'doomed-1');
  t.match(status, { state: 'failed', failedReason: 'disk on fire', attemptsMade: 2 });
  await until(() => events.some((e) => e.type === 'failed' && e.final));
  t.match(events.find((e) => e.type === 'failed' && e.final), { reason: 'disk on fire', attemptsMade: 2 });
  const metrics = await registry.getMetricsAsJSON();
  const failed = metrics.find((m) => m.name === 'lpx_jobs_failed_total');
  t.match(failed?.values, [{ labels: { capability: 'broken/work' }, value: 1 }]);
  // The host is still serving work after the processor threw.
  kernel.registerProcessor('math/after', async () => 'alive');
  t.equal(await kernel.submitAndWait('math/after', {}), 'alive');
});

t.test('timeout: submitAndWait rejects with LPX_ERR_JOBS_TIMEOUT and the job stays queued', async (t) => {
  const kernel = await kernelFor(t);
  const started = Date.now();
  const error = await kernel.submitAndWait('nobody/home', { x: 1 }, { jobId: 'waits-forever', timeoutMs: 200 }).catch((e: unknown) => e);
  t.ok(errors.jobs.TIMEOUT.is(error));
  t.ok(Date.now() - started < 2_000);
  t.equal((await kernel.getStatus('nobody/home', 'waits-forever'))?.state, 'waiting');
});

t.test('idempotent jobId: a second submit returns the same job, and waits see its result', async (t) => {
  const kernel = await kernelFor(t);
  let runs = 0;
  kernel.registerProcessor<{ v: string }, string>('once/only', async (job) => {
    runs++;
    return job.data.v;
  });
  kernel.start();
  const first = await kernel.submitAndWait('once/only', { v: 'first' }, { jobId: 'order-42' });
  const again = await kernel.submit('once/only', { v: 'second' }, { jobId: 'order-42' });
  const waited = await kernel.submitAndWait('once/only', { v: 'third' }, { jobId: 'order-42', timeoutMs: 2_000 });
  t.equal(first, 'first');
  t.equal(again.id, 'order-42');
  t.equal(waited, 'first', 'a finished job answers a repeated wait without running again');
  t.equal(runs, 1);
});

t.test('progress reaches listeners and getStatus', async (t) => {
  const kernel = await kernelFor(t);
  const progress: unknown[] = [];
  kernel.onEvent('media/encode', (event) => {
    if (event.type === 'progress') progress.push(event.progress);
  });
  kernel.registerProcessor('media/encode', async (job) => {
    await job.progress(25);
    await job.progress({ frames: 100 });
    return 'done';
  });
  kernel.start();
  const { id } = await kernel.submit('media/encode', {});
  await until(() => progress.length === 2);
  t.same(progress, [25, { frames: 100 }]);
  await until(async () => (await kernel.getStatus('media/encode', id))?.state === 'completed');
  t.same((await kernel.getStatus('media/encode', id))?.progress, { frames: 100 });
});

t.test('invalid options and ids are coded errors before Redis is touched', async (t) => {
  const kernel = await kernelFor(t);
  const cases: Array<[string, object]> = [
    ['attempts 0', { attempts: 0 }],
    ['fractional attempts', { attempts: 1.5 }],
    ['bad backoff type', { backoff: { type: 'linear', delayMs: 1 } }],
    ['negative delay', { backoff: { type: 'fixed', delayMs: -1 } }],
    ['priority 0', { priority: 0 }],
    ['colon in jobId', { jobId: 'a:b' }],
    ['numeric jobId', { jobId: '123' }],
    ['empty jobId', { jobId: '' }],
  ];
  for (const [name, options] of cases) {
    await t.rejects(kernel.submit('math/add', {}, options), { code: errors.jobs.INVALID_OPTIONS.code }, name);
  }
  await t.rejects(kernel.submitAndWait('math/add', {}, { timeoutMs: -5 }), { code: errors.jobs.INVALID_OPTIONS.code });
  t.throws(() => kernel.registerProcessor('math/conc', async () => 1, { concurrency: 0 }), { code: errors.jobs.INVALID_OPTIONS.code });
  await t.rejects(kernel.submit('Bad:Id', {}), { code: errors.capability.INVALID_ID.code });
  kernel.registerProcessor('math/dup', async () => 1);
  t.throws(() => kernel.registerProcessor('math/dup', async () => 2), { code: errors.jobs.PROCESSOR_DUPLICATE.code });
});

t.test('priority: lower numbers run first', async (t) => {
  const kernel = await kernelFor(t);
  const order: string[] = [];
  kernel.registerProcessor<{ name: string }, void>('queue/prio', async (job) => {
    order.push(job.data.name);
  });
  await kernel.submit('queue/prio', { name: 'low' }, { priority: 10 });
  await kernel.submit('queue/prio', { name: 'high' }, { priority: 1 });
  kernel.start();
  await until(() => order.length === 2);
  t.same(order, ['high', 'low']);
});

t.test('completed and duration metrics are recorded per capability', async (t) => {
  const registry = new Registry();
  const kernel = await kernelFor(t, { metrics: registry });
  kernel.registerProcessor('math/metered', async () => 1);
  kernel.start();
  await kernel.submitAndWait('math/metered', {});
  await kernel.submitAndWait('math/metered', {});
  const text = await registry.metrics();
  t.match(text, /lpx_jobs_completed_total\{capability="math\/metered"\} 2/);
  t.match(text, /lpx_job_duration_seconds_count\{capability="math\/metered",outcome="completed"\} 2/);
  // A second kernel on the same registry reuses the metrics instead of throwing.
  t.doesNotThrow(() => new JobsKernel({ connection, metrics: registry }));
});

t.test('close drains active jobs, then refuses new work', async (t) => {
  const kernel = new JobsKernel({ connection, prefix: uniquePrefix('close') });
  let finished = false;
  let running = false;
  kernel.registerProcessor('slow/job', async () => {
    running = true;
    await sleep(400);
    finished = true;
    return 'x';
  });
  kernel.start();
  const { id } = await kernel.submit('slow/job', {});
  await until(() => running);
  await kernel.close();
  t.ok(finished, 'the active job finished before close resolved');
  await t.rejects(kernel.submit('slow/job', {}), { code: errors.jobs.CLOSED.code });
  t.throws(() => kernel.start(), { code: errors.jobs.CLOSED.code });
  const observer = new JobsKernel({ connection, prefix: kernel.prefix });
  t.teardown(() => observer.close());
  t.equal((await observer.getStatus('slow/job', id))?.state, 'completed');
});

t.test('close past the drain timeout aborts the signal; the job is left for a retry', async (t) => {
  const prefix = uniquePrefix('abort');
  const kernel = new JobsKernel({ connection, prefix, worker: { drainTimeoutMs: 100 } });
  let aborted = false;
  let running = false;
  kernel.registerProcessor('slow/abortable', (job) => new Promise((_, reject) => {
    running = true;
    job.signal.addEventListener('abort', () => {
      aborted = true;
      reject(new Error('aborted by shutdown'));
    });
  }));
  kernel.start();
  const { id } = await kernel.submit('slow/abortable', {}, { attempts: 2, backoff: { type: 'fixed', delayMs: 10 } });
  await until(() => running);
  await kernel.close();
  t.ok(aborted);
  const observer = new JobsKernel({ connection, prefix });
  t.teardown(() => observer.close());
  const status = await observer.getStatus('slow/abortable', id);
  t.not(status?.state, 'completed');
  t.equal(status?.failedReason, 'aborted by shutdown');
});

t.test('freshId: a just-minted id skips the read for an earlier result, and the wait still gets its answer', async (t) => {
  const kernel = await kernelFor(t);
  kernel.registerProcessor<{ v: string }, string>('fresh/ids', async (job) => job.data.v);
  kernel.start();
  await kernel.submitAndWait('fresh/ids', { v: 'warm' }, { jobId: 'warm-up' });
  // Count the Redis commands that name each job: the idempotent path reads the job's state and record once more.
  const monitor = await connection.monitor();
  t.teardown(() => monitor.disconnect());
  const mentions = new Map<string, number>();
  monitor.on('monitor', (_time: string, args: string[]) => {
    for (const id of ['chosen-1', 'minted-1']) if (args.some((arg) => arg.includes(id))) mentions.set(id, (mentions.get(id) ?? 0) + 1);
  });
  t.equal(await kernel.submitAndWait('fresh/ids', { v: 'a' }, { jobId: 'chosen-1' }), 'a');
  t.equal(await kernel.submitAndWait('fresh/ids', { v: 'b' }, { jobId: 'minted-1', freshId: true }), 'b');
  await sleep(100);
  t.ok((mentions.get('minted-1') ?? 0) < (mentions.get('chosen-1') ?? 0), `fewer commands for the fresh id (${mentions.get('minted-1')} vs ${mentions.get('chosen-1')})`);
});
