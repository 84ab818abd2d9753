// JobsKernel.submitAndStream on a real Redis (ADR 0049): a job that answers
// whole is waited for without a stream reader of its own (no `lpx-job-stream`
// connection ever appears); a job that opens JobContext.stream is read as it
// writes, headers first, from the announcement on the queue's events.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { JobsKernel } from '../../src/jobs/index.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Redis clients named as a job stream reader (JobsKernel.streamReader). */
async function streamReaders(): Promise<number> {
  const list = (await connection.client('LIST')) as string;
  return list.split('\n').filter((line) => line.includes('name=lpx-job-stream')).length;
}

function kernel(t: { teardown(fn: () => unknown): void }) {
  const jobs = new JobsKernel({ connection, prefix: uniquePrefix('stream') });
  t.teardown(() => jobs.close());
  return jobs;
}

const unended = () => errors.jobs.FAILED.create('ended before its stream');

t.test('a whole answer is waited for without a stream reader connection', async (t) => {
  const jobs = kernel(t);
  const release = gate();
  const running = gate();
  jobs.registerProcessor<{ n: number }, { n: number }>('byoc/whole', async (job) => {
    running.open();
    await release.promise;
    return { n: job.data.n + 1 };
  });
  jobs.start();
  const before = await streamReaders();
  const opening = jobs.submitAndStream<{ n: number }, { n: number }>('byoc/whole', { n: 1 }, { timeoutMs: 10_000, unended });
  await running.promise;
  t.equal(await streamReaders(), before, 'no reader while the job runs');
  release.open();
  t.same(await opening, { kind: 'result', result: { n: 2 } });
  t.equal(await streamReaders(), before, 'nor after');
});

t.test('a streamed answer is read as it is written, with the headers of its opening', async (t) => {
  const jobs = kernel(t);
  const firstRead = gate();
  jobs.registerProcessor<unknown, { streamed: true }>('byoc/streamed', async (job) => {
    const stream = job.stream!({ 'x-orchestrator-url': 'https://o' });
    await stream.write('data: one');
    await firstRead.promise;
    await stream.write('data: two');
    await stream.end();
    return { streamed: true };
  });
  jobs.start();
  const opening = await jobs.submitAndStream<unknown, { streamed: true }>('byoc/streamed', {}, { timeoutMs: 10_000, unended });
  if (opening.kind !== 'stream') return t.fail('expected a stream');
  t.match(opening.first, { t: 'start', headers: { 'x-orchestrator-url': 'https://o' } });
  const entries = [];
  for await (const entry of opening.rest) {
    entries.push(entry);
    if (entry.t === 'data' && entry.d['line'] === 'data: one') firstRead.open();
  }
  t.same(entries, [{ t: 'data', d: { line: 'data: one' } }, { t: 'data', d: { line: 'data: two' } }, { t: 'end' }], 'the lines in order, the second only after the first was read');
});

t.test('a job that fails after its stream opened ends the reading with `unended`', async (t) => {
  const jobs = kernel(t);
  jobs.registerProcessor('byoc/broken', async (job) => {
    await job.stream!().write('data: partial');
    throw new Error('the orchestrator went away');
  });
  jobs.start();
  const opening = await jobs.submitAndStream('byoc/broken', {}, { attempts: 1, timeoutMs: 10_000, unended });
  if (opening.kind !== 'stream') return t.fail('expected a stream');
  const seen: unknown[] = [];
  await t.rejects(
    (async () => {
      for await (const entry of opening.rest) seen.push(entry);
    })(),
    { message: 'ended before its stream' },
  );
  t.same(seen, [{ t: 'data', d: { line: 'data: partial' } }]);
});

t.test('a job that fails without streaming rejects with its failure', async (t) => {
  const jobs = kernel(t);
  jobs.registerProcessor('byoc/fails', async () => {
    throw new Error('no orchestrator');
  });
  jobs.start();
  await t.rejects(jobs.submitAndStream('byoc/fails', {}, { attempts: 1, timeoutMs: 10_000, unended }), { code: errors.jobs.FAILED.code, message: /no orchestrator/ });
});

t.test('a whole answer from a worker in this process needs no Redis read for a stream; one from elsewhere does', async (t) => {
  const prefix = uniquePrefix('stream-local');
  const here = new JobsKernel({ connection, prefix });
  t.teardown(() => here.close());
  here.registerProcessor<{ n: number }, { n: number }>('byoc/local', async (job) => ({ n: job.data.n * 2 }));
  here.start();
  // A quiet moment before MONITOR starts: ioredis mistakes a command echoed during its switch for a reply.
  await here.submitAndStream('byoc/local', { n: 0 }, { timeoutMs: 10_000, unended });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const monitor = await connection.monitor();
  t.teardown(() => monitor.disconnect());
  const asked: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === 'exists' && args[1]?.includes(prefix) && args[1].includes(':stream:')) asked.push(args[1]);
  });
  t.same(await here.submitAndStream<{ n: number }, { n: number }>('byoc/local', { n: 21 }, { timeoutMs: 10_000, unended }), { kind: 'result', result: { n: 42 } });
  // A submitter without the worker: the job is completed by `here`'s worker, in another kernel.
  const elsewhere = new JobsKernel({ connection, prefix });
  t.teardown(() => elsewhere.close());
  t.same(await elsewhere.submitAndStream<{ n: number }, { n: number }>('byoc/local', { n: 2 }, { timeoutMs: 10_000, unended }), { kind: 'result', result: { n: 4 } });
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(asked.length, 1, `one stream check, for the job completed elsewhere (${asked.join(', ')})`);
});
