// The queue's events reader runs only for waiters whose job may run in another
// process (ADR 0065), on a real Redis: a job a worker here runs is answered
// without any XREAD; a job another process takes — because no worker here
// takes jobs, because the one here is busy, or because its attempt here failed
// and was retried — is still answered, by the events stream (the waiters' poll
// is set to a minute, so it cannot be what settles them); an idle reader goes.
import t from 'tap';
import { JobsKernel } from '../../src/jobs/index.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();
const POLL_NEVER_MS = 60_000;

function kernel(t: { teardown(fn: () => unknown): void }, prefix: string, options: { localStartMs?: number; eventsIdleStopMs?: number } = {}) {
  const jobs = new JobsKernel({ connection, prefix, waitPollMs: POLL_NEVER_MS, ...options });
  t.teardown(() => jobs.close());
  return jobs;
}

/** Blocking events readers (BullMQ QueueEvents connections) of one prefix. */
async function eventReaders(prefix: string): Promise<number> {
  const list = (await connection.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes(`name=${prefix}`) && /:qe(\s|$)/.test(line)).length;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}

t.test('jobs a worker in this process runs are answered without reading the events stream', async (t) => {
  const prefix = uniquePrefix('demand-local');
  const jobs = kernel(t, prefix);
  jobs.registerProcessor<{ n: number }, { n: number }>('test/local', async (job) => ({ n: job.data.n + 1 }));
  jobs.start();
  // A quiet moment before MONITOR starts: ioredis mistakes a command echoed during its switch for a reply.
  t.same(await jobs.submitAndWait('test/local', { n: 0 }, { timeoutMs: 10_000 }), { n: 1 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const monitor = await connection.monitor();
  t.teardown(() => monitor.disconnect());
  const reads: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    const command = args[0]?.toLowerCase();
    if ((command === 'xread' || command === 'xrevrange') && args.some((arg) => arg.includes(prefix))) reads.push(command);
  });
  for (let n = 1; n <= 20; n++) t.same(await jobs.submitAndWait('test/local', { n }, { timeoutMs: 10_000 }), { n: n + 1 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.same(reads, [], 'no events stream read');
  t.equal(await eventReaders(prefix), 0, 'no blocking events reader connection');
});

t.test('with no worker here the reader starts first, and goes when idle; it starts again when needed', async (t) => {
  const prefix = uniquePrefix('demand-remote');
  const worker = kernel(t, prefix);
  worker.registerProcessor<{ n: number }, { n: number }>('test/remote', async (job) => ({ n: job.data.n * 2 }));
  worker.start();
  const submitter = kernel(t, prefix, { eventsIdleStopMs: 100 });
  const waiting = submitter.submitAndWait('test/remote', { n: 2 }, { timeoutMs: 10_000 });
  t.same(await waiting, { n: 4 });
  t.equal(await eventReaders(prefix), 1, 'the submitter reads the events while it waits');
  await until(async () => (await eventReaders(prefix)) === 0, 'the idle reader closes');
  t.same(await submitter.submitAndWait('test/remote', { n: 5 }, { timeoutMs: 10_000 }), { n: 10 }, 'answered again after a restart');
});

t.test('a job the busy worker here cannot start in time is answered from the process that ran it', async (t) => {
  const prefix = uniquePrefix('demand-busy');
  let release!: () => void;
  const blocked = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const firstRuns = new Promise<void>((resolve) => (started = resolve));
  t.teardown(() => release());
  const here = kernel(t, prefix, { localStartMs: 30 });
  here.registerProcessor<{ n: number; block?: boolean }, { n: number; by: string }>(
    'test/busy',
    async (job) => {
      if (job.data.block === true) {
        started();
        await blocked;
      }
      return { n: job.data.n, by: 'here' };
    },
    { concurrency: 1 },
  );
  here.start();
  const first = here.submitAndWait('test/busy', { n: 1, block: true }, { timeoutMs: 20_000 });
  await firstRuns;
  const elsewhere = kernel(t, prefix);
  elsewhere.registerProcessor<{ n: number }, { n: number; by: string }>('test/busy', async (job) => ({ n: job.data.n, by: 'elsewhere' }));
  elsewhere.start();
  t.same(await here.submitAndWait('test/busy', { n: 2 }, { timeoutMs: 20_000 }), { n: 2, by: 'elsewhere' });
  release();
  t.same(await first, { n: 1, by: 'here' });
});

t.test('a job retried after its attempt here failed is answered from the process that ran the retry', async (t) => {
  const prefix = uniquePrefix('demand-retry');
  const here = kernel(t, prefix);
  const elsewhere = kernel(t, prefix);
  let failing!: () => void;
  const failed = new Promise<void>((resolve) => (failing = resolve));
  here.registerProcessor<{ n: number }, { by: string }>('test/retry', async () => {
    // This worker stops taking jobs: the retry can only run elsewhere.
    void here.setConcurrency('test/retry', 0);
    failing();
    throw new Error('first attempt fails here');
  });
  elsewhere.registerProcessor<{ n: number }, { by: string }>('test/retry', async (job) => ({ by: `elsewhere, attempt ${job.attempt}` }));
  here.start();
  const waiting = here.submitAndWait('test/retry', { n: 1 }, { timeoutMs: 20_000, attempts: 2, backoff: { type: 'fixed', delayMs: 100 } });
  await failed;
  elsewhere.start();
  t.same(await waiting, { by: 'elsewhere, attempt 2' });
});

t.test('localStartMs 0 reads the events stream for every job, started before the job is added, as before', async (t) => {
  const prefix = uniquePrefix('demand-always');
  const jobs = kernel(t, prefix, { localStartMs: 0, eventsIdleStopMs: 50 });
  jobs.registerProcessor<{ n: number }, { n: number }>('test/always', async (job) => ({ n: job.data.n + 1 }));
  jobs.start();
  t.same(await jobs.submitAndWait('test/always', { n: 0 }, { timeoutMs: 10_000 }), { n: 1 });
  // The warm-up's reader goes idle and closes; a quiet moment before MONITOR starts.
  await until(async () => (await eventReaders(prefix)) === 0, 'the warm-up reader closes');
  const monitor = await connection.monitor();
  t.teardown(() => monitor.disconnect());
  const order: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const command = args[0]?.toLowerCase();
    // The client's own commands: the tail read that starts a reader, and the scripts (the first is the add).
    if (source !== 'lua' && (command === 'xrevrange' || command === 'evalsha')) order.push(command);
  });
  t.same(await jobs.submitAndWait('test/always', { n: 1 }, { timeoutMs: 10_000 }), { n: 2 });
  t.equal(order[0], 'xrevrange', `the reader starts before the add (${order.join(', ')})`);
});
