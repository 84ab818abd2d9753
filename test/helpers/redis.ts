import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../core/src/redis/connect.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../core/src/redis/embedded-redis.js';

/** The part of a tap Test the helper needs; keeps it usable from any subtest. */
export interface Teardownable {
  teardown(fn: () => unknown): void;
}

export interface TestRedis {
  readonly url: string;
  /** Set when this helper started the server (always, with `embedded: true`). */
  readonly server?: EmbeddedRedis;
  /** Its data directory, to restart the server on the same AOF. */
  readonly dataDir?: string;
  /** A BullMQ-ready client, quit at teardown. */
  connect(): Promise<Redis>;
}

export interface TestRedisOptions {
  /**
   * Always start a private embedded server, even when REDIS_URL is set:
   * for tests that stop or restart Redis and must not do that to a shared one.
   */
  embedded?: boolean;
}

/**
 * Redis for a test: REDIS_URL when the environment provides one, otherwise a
 * redis-server child process on a free port with its AOF in a temp dir. It
 * never falls back to 127.0.0.1:6379, so tests behave the same on machines
 * that do and do not run a Redis service.
 */
export async function testRedis(t: Teardownable, options: TestRedisOptions = {}): Promise<TestRedis> {
  const external = process.env['REDIS_URL'];
  const clients: Redis[] = [];
  const connect = async (url: string): Promise<Redis> => {
    const client = await connectRedis(url, { connectTimeoutMs: 5_000 });
    clients.push(client);
    return client;
  };
  const quitClients = async (): Promise<void> => {
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  };

  if (external && !options.embedded) {
    t.teardown(quitClients);
    return { url: external, connect: () => connect(external) };
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'lpx-test-redis-'));
  const server = await startEmbeddedRedis({ dataDir });
  t.teardown(async () => {
    await quitClients();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { url: server.url, server, dataDir, connect: () => connect(server.url) };
}

/** A key prefix no other test shares, with a hash tag so it is also valid on Redis Cluster. */
export function uniquePrefix(label = 'test'): string {
  return `{lpx-${label}-${randomUUID().slice(0, 8)}}`;
}
