import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { startEmbeddedRedis, type EmbeddedRedis } from '../redis/index.js';

export interface RedisEndpoint {
  readonly url: string;
  readonly embedded: EmbeddedRedis | undefined;
}

/** redis.url when configured; otherwise the node's own redis-server with AOF in its data dir. */
export async function obtainRedis(url: string | undefined, dataDir: string, logger: Logger): Promise<RedisEndpoint> {
  if (url) return { url, embedded: undefined };
  const dir = resolve(dataDir, 'redis');
  const embedded = await startEmbeddedRedis({ dataDir: dir, logger: logger.child({ component: 'embedded-redis' }) });
  logger.info({ url: embedded.url, dir }, 'embedded redis-server started');
  return { url: embedded.url, embedded };
}
