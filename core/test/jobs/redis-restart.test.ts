import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectRedis } from '../../src/redis/connect.js';
import { startEmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { JobsKernel } from '../../src/jobs/index.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { captureLogger } from '../redis/capture-logger.js';

t.test('Redis restarts while jobs are queued: nothing accepted is lost, workers resume', async (t) => {
  // A private server: this test stops it, which must never happen to a shared one.
  const redis = await testRedis(t, { embedded: true });
  const { server, dataDir } = redis;
  if (!server || !dataDir) throw new Error('embedded redis expected');
  const logger = captureLogger();
  const connection = await connectRedis(redis.url, { logger });
  const kernel = new JobsKernel({ connection, ownsConnection: true, prefix: uniquePrefix('restart'), logger, worker: { drainTimeoutMs: 500 } });

  const done = new Set<number>();
  kernel.registerProcessor<{ n: number }, number>('video/restart', async (job) => {
    done.add(job.data.n);
    return job.data.n;
  });
  // Accepted while no worker runs: they sit in Redis, in the AOF.
  const ids: string[] = [];
  for (let n = 0; n < 20; n++) ids.push((await kernel.submit('video/restart', { n })).id);
  // A caller already waiting when Redis goes away gets its answer after it returns.
  const waited = kernel.submitAndWait('video/restart', { n: 20 }, { timeoutMs: 20_000 });
  await new Promise((resolve) => setTimeout(resolve, 100));

  await server.stop();
  kernel.start(); // workers start while Redis is down; they must wait, not crash
  await sleep(500);
  t.equal(done.size, 0);

  const revived = await startEmbeddedRedis({ dataDir, port: server.port });

  const deadline = Date.now() + 20_000;
  while (done.size < 21 && Date.now() < deadline) await sleep(50);
  t.equal(done.size, 21, 'every job queued before the restart ran');
  t.equal(await waited, 20, 'the waiting caller got its result');
  for (const id of ids) {
    const status = await kernel.getStatus('video/restart', id);
    if (status?.state !== 'completed') t.fail(`job ${id} is ${status?.state}`);
  }
  t.equal(await kernel.submitAndWait('video/restart', { n: 99 }), 99, 'new work flows after the restart');

  // A second outage, this time with the worker already running.
  await revived.stop();
  await sleep(300);
  const again = await startEmbeddedRedis({ dataDir, port: server.port });
  t.equal(await kernel.submitAndWait('video/restart', { n: 100 }, { timeoutMs: 20_000 }), 100, 'running workers resume too');
  const lost = logger.lines.filter((l) => l.bindings['code'] === 'LPX_ERR_REDIS_CONNECTION_LOST');
  t.equal(lost.length, 2, 'one warning per outage, not one per retry');
  t.ok(logger.lines.some((l) => l.message === 'Redis connection recovered'));

  // Shutting down while Redis is unreachable must still finish, in bounded time.
  await again.stop();
  const closing = Date.now();
  await kernel.close();
  t.ok(Date.now() - closing < 15_000, `close finished in ${Date.now() - closing} ms with Redis down`);
});
