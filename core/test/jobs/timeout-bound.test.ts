import t from 'tap';
import { errors } from '@lpx/sdk';
import { JobsKernel } from '../../src/jobs/index.js';
import { MAX_TIMEOUT_MS, checkTimeout } from '../../src/jobs/job-options.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

t.test('checkTimeout accepts up to 2^31-1 ms and refuses more with a coded 400 naming the maximum', async (t) => {
  t.equal(MAX_TIMEOUT_MS, 2 ** 31 - 1);
  t.equal(checkTimeout('cap', MAX_TIMEOUT_MS), MAX_TIMEOUT_MS);
  for (const bad of [2 ** 31, 1e12, Number.MAX_SAFE_INTEGER]) {
    t.throws(() => checkTimeout('cap', bad), { code: errors.jobs.INVALID_OPTIONS.code, status: 400, message: /at most 2147483647/ }, String(bad));
  }
});

t.test('submitAndWait with a timeout beyond Node timers is refused, not an instant timeout', async (t) => {
  const kernel = new JobsKernel({ connection, prefix: uniquePrefix('timeout-bound') });
  t.teardown(() => kernel.close());
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  kernel.registerProcessor('slow/echo', async () => {
    await gate;
    return 'done';
  });
  kernel.start();
  await t.rejects(kernel.submitAndWait('slow/echo', {}, { timeoutMs: 2 ** 31 }), { code: errors.jobs.INVALID_OPTIONS.code, status: 400, message: /2147483647/ });
  // The largest allowed timeout still waits for the job.
  const waiting = kernel.submitAndWait('slow/echo', {}, { timeoutMs: MAX_TIMEOUT_MS });
  release();
  t.equal(await waiting, 'done');
});
