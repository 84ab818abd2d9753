import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { JobEvent } from '@lpx/sdk';
import { JobsKernel } from '../../src/jobs/index.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();
const fixture = fileURLToPath(new URL('./fixtures/doomed-worker.ts', import.meta.url));

t.test('a worker process killed mid-job: the job returns to the queue and another worker completes it', async (t) => {
  const prefix = uniquePrefix('stalled');
  const capabilityId = 'video/stall-test';
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, redis.url, prefix, capabilityId], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  let output = '';
  const saw = (text: string): Promise<void> => new Promise((resolve, reject) => {
    const check = (): void => {
      if (output.includes(text)) resolve();
    };
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      check();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before '${text}': ${output}`)));
    check();
  });
  await saw('ready');

  // This process only produces until the child has the job.
  const survivor = new JobsKernel({ connection, prefix, worker: { lockDurationMs: 1_000, stalledIntervalMs: 300 } });
  t.teardown(() => survivor.close());
  const events: JobEvent[] = [];
  survivor.onEvent(capabilityId, (event) => events.push(event));
  const result = survivor.submitAndWait<{ n: number }, string>(capabilityId, { n: 7 }, { jobId: 'survives-a-crash', timeoutMs: 20_000 });

  await saw('started survives-a-crash');
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  t.equal((await survivor.getStatus(capabilityId, 'survives-a-crash'))?.state, 'active', 'the dead worker still holds the job');

  survivor.registerProcessor<{ n: number }, string>(capabilityId, async (job) => `recovered ${job.data.n} on attempt ${job.attempt}`);
  survivor.start();
  t.equal(await result, 'recovered 7 on attempt 1', 'a stall is not a failed attempt');
  t.ok(events.some((e) => e.type === 'stalled' && e.jobId === 'survives-a-crash'), 'a stalled event was published');
});
