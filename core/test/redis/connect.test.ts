import t from 'tap';
import { errors } from '@lpx/sdk';
import { connectRedis, findFreePort, redactRedisUrl } from '../../src/redis/index.js';
import { testRedis } from '../../../test/helpers/redis.js';

t.test('unreachable Redis at start is LPX_ERR_REDIS_UNREACHABLE naming the url, quickly', async (t) => {
  const port = await findFreePort();
  const url = `redis://:hunter2@127.0.0.1:${port}`;
  const started = Date.now();
  const error = await connectRedis(url, { connectTimeoutMs: 500 }).catch((e: unknown) => e);
  t.ok(errors.redis.UNREACHABLE.is(error));
  t.match((error as Error).message, `127.0.0.1:${port}`);
  t.notMatch((error as Error).message, /hunter2/, 'the password is redacted');
  t.ok(Date.now() - started < 2_000, 'fails within the start deadline');
});

t.test('the client is configured for BullMQ', async (t) => {
  const redis = await testRedis(t);
  const client = await redis.connect();
  t.equal(client.options.maxRetriesPerRequest, null);
  t.equal(client.status, 'ready');
});

t.test('redactRedisUrl', async (t) => {
  t.equal(redactRedisUrl('redis://user:pw@host:1/0'), 'redis://user:***@host:1/0');
  t.equal(redactRedisUrl('redis://host:1'), 'redis://host:1');
  t.equal(redactRedisUrl('not a url'), 'not a url');
});
