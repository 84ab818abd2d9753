// The gateway role as a whole node (ADR 0017): without tenants it is open only
// on a loopback HTTP edge and says so at start; on any other host it refuses
// to start. After a restart, route queues left in Redis get routers only for
// capabilities the gateway knows: junk ids clients once posted stay dead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { Queue } from 'bullmq';
import { errors, queueNameFor } from '@lpx/sdk';
import { Host } from '../../src/boot/host.js';
import { loadConfig } from '../../src/config/load-config.js';
import { JobsKernel } from '../../src/jobs/index.js';
import { generateApiKey, hashApiKey } from '../../src/roles/gateway/tenants/api-keys.js';
import { isLoopbackHost } from '../../src/roles/gateway/tenants/open-gateway.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

function gatewayHost(tt: { teardown(fn: () => unknown): void }, raw: Record<string, unknown>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-tenants-role-'));
  const logs = new PassThrough();
  let logText = '';
  logs.on('data', (chunk: Buffer) => (logText += chunk.toString('utf8')));
  const host = new Host({
    config: loadConfig({ raw: { log: { level: 'info' }, http: { port: 0 }, node: { roles: ['gateway'], dataDir }, ...raw }, env: {} }),
    logDestination: logs,
  });
  tt.teardown(async () => {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { host, logs: () => logText };
}

t.test('loopback hosts', async (t) => {
  for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) t.ok(isLoopbackHost(host), host);
  for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '128.0.0.1']) t.notOk(isLoopbackHost(host), host);
});

t.test('no tenants on a non-loopback http.host: the node refuses to start, with the fix in the message', async (t) => {
  const { host } = gatewayHost(t, { redis: { url: redis.url, prefix: uniquePrefix('open-public') }, http: { port: 0, host: '0.0.0.0' } });
  await t.rejects(host.start(), { code: errors.gateway.OPEN_ON_PUBLIC_HOST.code, message: /lpx tenants add/ });
});

t.test('gateway.capabilities must be capability ids', async (t) => {
  const { host } = gatewayHost(t, { redis: { url: redis.url, prefix: uniquePrefix('bad-caps') }, gateway: { capabilities: ['byoc/echo', 'BYOC/Echo'] } });
  await t.rejects(host.start(), { code: errors.config.INVALID.code, message: /BYOC\/Echo/ });
});

t.test('with a tenant, a non-loopback http.host is fine', async (t) => {
  const { host, logs } = gatewayHost(t, {
    redis: { url: redis.url, prefix: uniquePrefix('tenant-public') },
    http: { port: 0, host: '0.0.0.0' },
    gateway: { tenants: { acme: { keys: [hashApiKey(generateApiKey())] } } },
  });
  await host.start();
  t.notMatch(logs(), /gateway API is OPEN/);
});

t.test('an open gateway on loopback starts and warns; a restart revives routers only for known capabilities', async (t) => {
  const prefix = uniquePrefix('junk');
  // What an earlier run left in Redis: route jobs for a configured capability and for 20 junk ids.
  const earlier = new JobsKernel({ connection, prefix: `${prefix}:route` });
  const junk = Array.from({ length: 20 }, (_, i) => `byoc/junk-${i}`);
  for (const capabilityId of ['byoc/known', ...junk]) await earlier.submit(capabilityId, { capabilityId, input: {} }, { jobId: `left-${capabilityId.replace('/', '-')}` });
  await earlier.close();

  const { host, logs } = gatewayHost(t, { redis: { url: redis.url, prefix }, gateway: { capabilities: ['byoc/known'], poolRefreshMs: 200 } });
  await host.start();
  t.match(logs(), /gateway API is OPEN/, 'the open gateway says so at start');

  const queue = (capabilityId: string) => {
    const q = new Queue(queueNameFor(capabilityId), { connection, prefix: `${prefix}:route` });
    t.teardown(() => q.close());
    return q;
  };
  const known = queue('byoc/known');
  let workers = 0;
  for (let i = 0; i < 200 && workers === 0; i++) {
    workers = await known.getWorkersCount();
    if (workers === 0) await sleep(50);
  }
  t.equal(workers, 1, 'the configured capability got its router back');
  await sleep(600); // several discovery rounds, each of which revives what became known
  for (const capabilityId of junk) t.equal(await queue(capabilityId).getWorkersCount(), 0, `no router for ${capabilityId}`);
  t.match(logs(), /route queues of capabilities this gateway does not know are ignored/);
});
