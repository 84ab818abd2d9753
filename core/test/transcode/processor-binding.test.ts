// A transcode worker's BullMQ processor follows its backends' capacity on a
// real Redis: not bound while nothing is available (the job waits for another
// worker), bound when capacity appears, paused at 0 and resumed after.
import t from 'tap';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createJobsRuntime } from '../../src/boot/jobs-runtime.js';
import { ProcessorBinding } from '../../src/transcode/processor-binding.js';
import type { TranscodeJobResult } from '../../src/transcode/transcode-job.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { until } from './helpers/media.js';

t.test('bind on capacity, pause at 0, resume', async (t) => {
  const redis = await testRedis(t);
  const prefix = uniquePrefix('binding');
  const logger = pino({ level: 'silent' });
  const worker = await createJobsRuntime({ url: redis.url, prefix, logger, metrics: new Registry(), tuning: { drainTimeoutMs: 1_000, lockDurationMs: 5_000, stalledIntervalMs: 5_000 } });
  const client = await createJobsRuntime({ url: redis.url, prefix, logger, metrics: new Registry(), tuning: { drainTimeoutMs: 1_000, lockDurationMs: 5_000, stalledIntervalMs: 5_000 } });
  t.teardown(async () => {
    await worker.close();
    await client.close();
  });
  const ran: string[] = [];
  const binding = new ProcessorBinding(
    worker,
    async (job): Promise<TranscodeJobResult> => {
      ran.push(job.id);
      return { renditions: [], backend: 'test' };
    },
    logger,
  );
  await worker.startWorkers();
  await binding.apply(0);
  const state = async (id: string) => (await client.service.getStatus('video/transcode', id))?.state;
  await client.service.submit('video/transcode', { n: 1 }, { jobId: 'first', attempts: 1 });
  t.equal(await state('first'), 'waiting', 'no capacity: the job waits for a worker that has some');

  await binding.apply(2);
  await until(async () => (await state('first')) === 'completed', 'the job runs once capacity appears');

  await binding.apply(0);
  await client.service.submit('video/transcode', { n: 2 }, { jobId: 'second', attempts: 1 });
  // Give a misbehaving (still fetching) worker the chance to take it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(await state('second'), 'waiting', 'paused at 0');
  t.same(ran, ['first']);

  await binding.apply(1);
  await until(async () => (await state('second')) === 'completed', 'resumed');
  t.same(ran, ['first', 'second']);
});
