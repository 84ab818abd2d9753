import t from 'tap';
import { Redis } from 'ioredis';
import { queueNameFor } from '@lpx/sdk';
import { makeHost } from '../../../test/helpers/host.js';
import { generateApiKey, hashApiKey } from '../../src/roles/gateway/tenants/api-keys.js';

// The gateway's own JobsKernel (route jobs, prefix `{lpx}:route`) gets the node's blob store:
// a client's 15 MB body is a reference in Redis from the moment the gateway answers 202.
t.test('a 15 MB client body is a small route job in the gateway\'s Redis', async (t) => {
  const host = makeHost(t, [], { node: { roles: ['gateway'] }, gateway: { capabilities: ['byoc/big'] } });
  await host.start();
  const text = 'g'.repeat(15 * 1024 * 1024);
  const res = await fetch(`${host.url}/v1/jobs/byoc/big?async=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  t.equal(res.status, 202);
  const { id } = (await res.json()) as { id: string };
  const redis = new Redis(host.redisUrl, { lazyConnect: true });
  await redis.connect();
  t.teardown(() => redis.quit());
  const key = `{lpx}:route:${queueNameFor('byoc/big')}:${id}`;
  const bytes = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
  t.ok(bytes > 0 && bytes < 8192, `the route job hash holds ${bytes} bytes`);
  const data = (await redis.hget(key, 'data'))!;
  t.match(data, /"\$lpxBlob"/, 'its input is a blob reference');
  t.ok(data.length < 4096);
});

t.test('eleven concurrent 15 MB client bodies: all accepted, Redis holds kilobytes', async (t) => {
  const host = makeHost(t, [], { node: { roles: ['gateway'] }, gateway: { capabilities: ['byoc/big'] } });
  await host.start();
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: 11 }, async (_, i) => {
    const body = JSON.stringify({ text: `${i}`.padEnd(15 * 1024 * 1024, 'e') });
    const res = await fetch(`${host.url}/v1/jobs/byoc/big?async=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return res.status;
  }));
  t.same(answers, Array(11).fill(202), 'every body accepted');
  const redis = new Redis(host.redisUrl, { lazyConnect: true });
  await redis.connect();
  t.teardown(() => redis.quit());
  let cursor = '0';
  let total = 0;
  let largest = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', '{lpx}:*', 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const bytes = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
      total += bytes;
      largest = Math.max(largest, bytes);
    }
  } while (cursor !== '0');
  t.ok(largest < 64 * 1024, `largest Redis key ${largest} bytes`);
  t.ok(total < 1024 * 1024, `all of the gateway's keys: ${total} bytes for 11 × 15 MB accepted (in ${Math.round(performance.now() - started)} ms, informational)`);
});

t.test('a tenant reads its own 15 MB async job: the route job keeps its tenant inline, another tenant gets 404', async (t) => {
  const [mine, theirs] = [generateApiKey(), generateApiKey()];
  const host = makeHost(t, [], {
    node: { roles: ['gateway'] },
    gateway: { capabilities: ['byoc/big'], tenants: { mine: { keys: [hashApiKey(mine)] }, theirs: { keys: [hashApiKey(theirs)] } } },
  });
  await host.start();
  const body = JSON.stringify({ text: 't'.repeat(15 * 1024 * 1024) });
  const res = await fetch(`${host.url}/v1/jobs/byoc/big?async=true`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${mine}` }, body });
  t.equal(res.status, 202);
  const { status } = (await res.json()) as { status: string };
  const own = await fetch(`${host.url}${status}`, { headers: { authorization: `Bearer ${mine}` } });
  t.equal(own.status, 200, 'the submitting tenant sees its job');
  const other = await fetch(`${host.url}${status}`, { headers: { authorization: `Bearer ${theirs}` } });
  t.equal(other.status, 404, 'another tenant does not');
  t.equal(((await other.json()) as { code: string }).code, 'LPX_ERR_JOBS_NOT_FOUND');
});
