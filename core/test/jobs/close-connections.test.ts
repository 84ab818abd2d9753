// A closed jobs kernel leaves no Redis connection of its own behind. AI workers resize their
// lanes as executors come and go, and executors go away while the node stops (after the job
// workers drained): BullMQ's pause() reconnects a worker's blocking connection when it ends,
// even on a closed worker, and that client then retried forever once Redis was gone — the test
// process never exited.
import t from 'tap';
import { JobsKernel } from '../../src/jobs/index.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const observer = await redis.connect();

/** Names of the clients connected to the test Redis whose name starts with `prefix`. */
async function clientsOf(prefix: string): Promise<string[]> {
  const list = (await observer.client('LIST')) as string;
  return list.split('\n').map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '').filter((name) => name.startsWith(prefix));
}

t.test('a lane resized after its kernel closed opens no connection again', async (t) => {
  const prefix = uniquePrefix('close-conns');
  const connection = await redis.connect();
  const kernel = new JobsKernel({ connection, prefix });
  t.teardown(() => kernel.close());
  kernel.registerProcessor<{ n: number }, number>('ai/close-test', async ({ data }) => data.n * 2, { concurrency: 2 });
  kernel.start();
  t.equal(await kernel.submitAndWait('ai/close-test', { n: 21 }, { timeoutMs: 10_000 }), 42);
  t.ok((await clientsOf(prefix)).length > 0, 'the worker holds its blocking connection while open');

  await kernel.close();
  await kernel.setConcurrency('ai/close-test', 0);
  await kernel.setConcurrency('ai/close-test', 3);
  t.same(await clientsOf(prefix), [], 'no connection of the kernel left after close and late resizes');
});

t.test('a pause under way when the kernel closes does not outlive the close', async (t) => {
  const prefix = uniquePrefix('close-pause');
  const connection = await redis.connect();
  const kernel = new JobsKernel({ connection, prefix });
  t.teardown(() => kernel.close());
  kernel.registerProcessor<{ n: number }, number>('ai/close-pause', async ({ data }) => data.n + 1, { concurrency: 1 });
  kernel.start();
  t.equal(await kernel.submitAndWait('ai/close-pause', { n: 1 }, { timeoutMs: 10_000 }), 2);

  const pausing = kernel.setConcurrency('ai/close-pause', 0);
  await kernel.close();
  await pausing;
  t.same(await clientsOf(prefix), [], 'the pause finished before the worker closed; nothing reconnected after');
});
