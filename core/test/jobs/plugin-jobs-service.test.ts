import t from 'tap';
import { errors } from '@lpx/sdk';
import { JobsKernel } from '../../src/jobs/index.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const kernel = new JobsKernel({ connection: await redis.connect(), prefix: uniquePrefix('plugin') });
t.teardown(() => kernel.close());

t.test('a plugin may bind processors only for capabilities it declared', async (t) => {
  const jobs = kernel.forPlugin('transcode-ffmpeg', ['video/transcode']);
  t.throws(() => jobs.registerProcessor('ai/text-to-image', async () => 'image'), {
    code: errors.plugin.CAPABILITY_UNDECLARED.code,
    message: /transcode-ffmpeg.*ai\/text-to-image/,
  });
  const none = kernel.forPlugin('empty', []);
  t.throws(() => none.registerProcessor('video/transcode', async () => 1), { message: /declared: none/ });

  jobs.registerProcessor<{ frames: number }, number>('video/transcode', async (job) => job.data.frames * 2);
  kernel.start();
  t.equal(await jobs.submitAndWait('video/transcode', { frames: 21 }), 42);
});

t.test('submitting and observing are open to any capability', async (t) => {
  const gateway = kernel.forPlugin('gateway-router', []);
  const seen: string[] = [];
  const off = gateway.onEvent('video/transcode', (event) => seen.push(event.type));
  const { id } = await gateway.submit('video/transcode', { frames: 1 });
  const deadline = Date.now() + 5_000;
  while ((await gateway.getStatus('video/transcode', id))?.state !== 'completed' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  t.match(await gateway.getStatus('video/transcode', id), { state: 'completed', result: 2 });
  while (!seen.includes('completed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.ok(seen.includes('completed'));
  off();
});

t.test('JobsKernel.connect owns its connection and fails fast on a dead url', async (t) => {
  const owned = await JobsKernel.connect(redis.url, { prefix: uniquePrefix('owned') });
  owned.registerProcessor('math/owned', async () => 'yes');
  owned.start();
  t.equal(await owned.submitAndWait('math/owned', {}), 'yes');
  await owned.close();
  await t.rejects(JobsKernel.connect('redis://127.0.0.1:1', { redis: { connectTimeoutMs: 300 } }), { code: errors.redis.UNREACHABLE.code });
});

t.test('a capability the plugin registered at run time may have its processor bound', async (t) => {
  const registered = new Set(['byoc/app']);
  const jobs = kernel.forPlugin('byoc-host', [], (id) => registered.has(id));
  t.throws(() => jobs.registerProcessor('byoc/other', async () => 1), { code: errors.plugin.CAPABILITY_UNDECLARED.code });
  jobs.registerProcessor<{ n: number }, number>('byoc/app', async (job) => job.data.n + 1);
  t.equal(await jobs.submitAndWait('byoc/app', { n: 1 }), 2);
});
