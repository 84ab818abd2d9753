import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '@lpx/sdk';
import { connectRedis, startEmbeddedRedis } from '../../src/redis/index.js';
import { pingRedis } from '../../src/redis/ping.js';
import { captureLogger } from './capture-logger.js';

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-embedded-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('starts on a free loopback port with AOF on and RDB off, and stops', async (t) => {
  const dataDir = await tempDir(t);
  const logger = captureLogger();
  const server = await startEmbeddedRedis({ dataDir, logger });
  t.teardown(() => server.stop());
  t.match(server.url, /^redis:\/\/127\.0\.0\.1:\d+$/);
  t.ok(server.pid > 0);
  const client = await connectRedis(server.url);
  t.equal(await client.ping(), 'PONG');
  t.same(await client.config('GET', 'appendonly'), ['appendonly', 'yes']);
  t.same(await client.config('GET', 'appendfsync'), ['appendfsync', 'everysec']);
  t.same(await client.config('GET', 'save'), ['save', '']);
  t.same(await client.config('GET', 'dir'), ['dir', dataDir]);
  await client.quit();
  await server.stop();
  await server.stop(); // idempotent
  t.notOk(await pingRedis('127.0.0.1', server.port), 'nothing answers after stop');
  t.throws(() => process.kill(server.pid, 0), { code: 'ESRCH' }, 'the child process is gone');
  t.ok(logger.lines.some((l) => l.message === 'embedded redis ready'));
});

t.test('restarting on the same dataDir recovers data from the AOF', async (t) => {
  const dataDir = await tempDir(t);
  const first = await startEmbeddedRedis({ dataDir });
  const writer = await connectRedis(first.url);
  await writer.set('ticket:winning', 'keep-me');
  await writer.rpush('queue', 'a', 'b');
  await writer.quit();
  await first.stop();

  const second = await startEmbeddedRedis({ dataDir });
  t.teardown(() => second.stop());
  const reader = await connectRedis(second.url);
  t.teardown(() => reader.quit());
  t.equal(await reader.get('ticket:winning'), 'keep-me');
  t.same(await reader.lrange('queue', 0, -1), ['a', 'b']);
});

t.test('a missing binary is LPX_ERR_REDIS_BINARY_MISSING with install advice', async (t) => {
  const dataDir = await tempDir(t);
  const error = await startEmbeddedRedis({ dataDir, binary: '/nonexistent/redis-server' }).catch((e: unknown) => e);
  t.ok(errors.redis.BINARY_MISSING.is(error));
  t.match((error as Error).message, /install redis-server/);
});

t.test('a server that never answers is LPX_ERR_REDIS_EMBEDDED_START', async (t) => {
  const dataDir = await tempDir(t);
  // `true` exits at once without serving: a stand-in for a broken redis-server.
  const error = await startEmbeddedRedis({ dataDir, binary: 'true', startTimeoutMs: 1_000 }).catch((e: unknown) => e);
  t.ok(errors.redis.EMBEDDED_START.is(error));
  t.match((error as Error).message, /did not answer PING/);
});

t.test('a port already in use fails with LPX_ERR_REDIS_EMBEDDED_START when the port is fixed', async (t) => {
  const dataDir = await tempDir(t);
  const holder = await startEmbeddedRedis({ dataDir: join(dataDir, 'a') });
  t.teardown(() => holder.stop());
  const error = await startEmbeddedRedis({ dataDir: join(dataDir, 'b'), port: holder.port, startTimeoutMs: 3_000 }).catch((e: unknown) => e);
  t.ok(errors.redis.EMBEDDED_START.is(error));
});
