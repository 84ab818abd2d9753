import t from 'tap';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { coreServices, definePlugin } from '@lpx/sdk';
import { queueNameFor } from '@lpx/sdk';
import { makeHost } from '../../../test/helpers/host.js';
import { testManifest } from '../../../test/helpers/plugins.js';

const capability = { id: 'test/measure', version: 1, mode: 'request-response' as const, workUnit: 'request', priceUnit: 'wei/request', capacity: 2 };
const seen: { length: number; sha: string }[] = [];

const measurePlugin = definePlugin({
  manifest: testManifest('measure', { requires: { services: ['core.jobs'] }, capabilities: [capability] }),
  register(reg) {
    reg.registerInit({
      deps: { jobs: coreServices.jobs },
      init({ jobs }) {
        // A plugin that knows nothing about blobs: it gets its data, returns its result.
        jobs.registerProcessor<{ text: string }, { length: number; echo: string }>('test/measure', async ({ data }) => {
          seen.push({ length: data.text.length, sha: createHash('sha256').update(data.text).digest('hex') });
          return { length: data.text.length, echo: data.text };
        });
      },
    });
  },
});

t.test('a node keeps a 15 MB job and its 15 MB result out of Redis by default, and serves its blobs over HTTP', async (t) => {
  const host = makeHost(t, [measurePlugin], { blobs: { sweepIntervalMs: 60_000 } });
  await host.start();
  const text = 'x'.repeat(15 * 1024 * 1024);
  const { id } = await host.jobs.submit('test/measure', { text });
  const redis = new Redis(host.redisUrl, { lazyConnect: true });
  await redis.connect();
  t.teardown(() => redis.quit());
  const key = `{lpx}:${queueNameFor('test/measure')}:${id}`;
  // The large field is offloaded; the rest of the object stays inline (ADR 0020).
  const ref = (JSON.parse((await redis.hget(key, 'data'))!) as { text: { $lpxBlob?: { url?: string; token: string } } }).text;
  t.ok(ref.$lpxBlob, 'Redis holds a reference');
  t.equal(ref.$lpxBlob?.url?.startsWith(`${host.url}/v1/blobs/`), true, 'naming the node\'s HTTP edge');
  const served = await fetch(ref.$lpxBlob!.url!, { headers: { authorization: `Bearer ${ref.$lpxBlob!.token}` } });
  t.equal(served.status, 200, 'the blob route is mounted');
  t.equal((JSON.parse(await served.text()) as string).length, text.length);
  t.equal((await fetch(ref.$lpxBlob!.url!)).status, 401, 'not without its token');

  const result = await host.jobs.submitAndWait<{ text: string }, { length: number; echo: string }>('test/measure', { text }, { timeoutMs: 60_000 });
  t.equal(result.length, text.length);
  t.equal(result.echo.length, text.length);
  t.ok(seen.every((s) => s.length === text.length), 'the processor got every byte');
  let cursor = '0';
  let largest = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', '{lpx}:*', 'COUNT', 1000);
    cursor = next;
    for (const k of keys) largest = Math.max(largest, Number(await redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0')));
  } while (cursor !== '0');
  t.ok(largest < 64 * 1024, `no Redis key over 64 KiB (largest ${largest} bytes)`);
  const metrics = await (await fetch(`${host.url}/metrics`)).text();
  t.match(metrics, /lpx_blobs_stored_bytes \d+/, 'the store\'s size is a metric');
  t.match(metrics, /lpx_blobs_quota_bytes 10737418240/);
});
