import t from 'tap';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedRedis } from '../../src/redis/index.js';

t.test("the embedded Redis data dir (its AOF holds the node's secrets) is owner-only", async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'lpx-redis-mode-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dataDir = join(root, 'redis');
  const server = await startEmbeddedRedis({ dataDir });
  t.teardown(() => server.stop());
  t.equal((await stat(dataDir)).mode & 0o777, 0o700);
});
