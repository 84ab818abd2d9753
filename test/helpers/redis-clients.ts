import type { TestRedis } from './redis.js';

/**
 * The clients connected to a test Redis, other than the one asking: after Hosts stop, a name here
 * is a connection some owner did not close (it would retry forever once the server is gone and
 * keep the test process alive). On a shared external Redis only names with one of `prefixes`
 * count (BullMQ names its connections after the queue prefix); on the test's own server, all do.
 */
export async function connectedClients(redis: TestRedis, prefixes: readonly string[]): Promise<string[]> {
  const observer = await redis.connect();
  const self = await observer.client('ID');
  const list = (await observer.client('LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.trim() !== '' && !new RegExp(`(?:^| )id=${self} `).test(line))
    .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] || '(unnamed)')
    .filter((name) => redis.server !== undefined || prefixes.some((prefix) => name.startsWith(prefix)));
}
