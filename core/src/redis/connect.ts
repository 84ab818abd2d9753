import { Redis, type RedisOptions } from 'ioredis';
import { errors, type LoggerService } from '@lpx/sdk';

export interface ConnectRedisOptions {
  logger?: LoggerService;
  /** How long start may wait for the first `ready` before refusing to boot (default 10 s, as config `redis.connectTimeoutMs`). */
  connectTimeoutMs?: number;
  /** Shown in `CLIENT LIST`, handy when many processes share one Redis. */
  connectionName?: string;
  /** Longest pause between reconnect attempts at run time (default 2 s). */
  maxReconnectDelayMs?: number;
}

/** `redis://user:secret@host` → `redis://user:***@host`, so errors can name the url safely. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * An ioredis client shaped for BullMQ: `maxRetriesPerRequest: null` so blocking
 * commands wait out an outage instead of failing, and an unbounded reconnect
 * loop, so a Redis restart is a pause, not a crash. Start is the opposite: if
 * Redis is not there at boot the node refuses quickly with a coded error
 * rather than hanging with work piling up in memory.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<Redis> {
  const { logger } = options;
  const safeUrl = redactRedisUrl(url);
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const redisOptions: RedisOptions = {
    // Not lazy: BullMQ duplicates this client for blocking reads, and a lazy
    // duplicate made during an outage fails its first connect() for good.
    lazyConnect: false,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 100, maxDelay),
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  };
  const client = new Redis(url, redisOptions);
  watchOutages(client, safeUrl, logger);

  const ready = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  // ioredis keeps retrying in the background; `ready` within the deadline is the only verdict that counts.
  if (!(await ready)) {
    client.disconnect();
    throw errors.redis.UNREACHABLE.create(`Redis at ${safeUrl} did not answer within ${timeoutMs} ms (redis.connectTimeoutMs); start redis-server there, or unset REDIS_URL and redis.url to use the embedded one`, {
      details: { url: safeUrl, timeoutMs },
    });
  }
  return client;
}

/** One warning per outage and one line on recovery, not one per retry. */
function watchOutages(client: Redis, safeUrl: string, logger: LoggerService | undefined): void {
  let lostAt: number | undefined;
  let wasReady = false;
  // Without a listener ioredis prints every refused reconnect to stderr.
  client.on('error', (error: Error) => logger?.debug({ err: error.message, url: safeUrl }, 'redis client error'));
  client.on('reconnecting', () => {
    if (!wasReady || lostAt !== undefined) return;
    lostAt = Date.now();
    logger?.warn({ code: errors.redis.CONNECTION_LOST.code, url: safeUrl }, `Redis connection lost (${safeUrl}); reconnecting, work resumes when it returns`);
  });
  client.on('ready', () => {
    if (lostAt !== undefined) {
      logger?.info({ url: safeUrl, outageMs: Date.now() - lostAt }, 'Redis connection recovered');
    }
    lostAt = undefined;
    wasReady = true;
  });
}
