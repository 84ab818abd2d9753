import type { Redis } from 'ioredis';

/**
 * Capabilities that already have route jobs in Redis. A gateway that starts
 * (or restarts after a crash) serves these at once, so queued and stalled jobs
 * accepted by any instance are routed without waiting for a new request.
 */
export async function existingRouteCapabilities(redis: Redis, prefix: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  // BullMQ keeps `<prefix>:<queue>:meta` for every queue it has created.
  const pattern = `${prefix.replace(/[*?[\]]/g, '\\$&')}:cap.*:meta`;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const match = /:cap\.([a-z][a-z0-9-]*)\.([a-z0-9][a-z0-9._-]*)\.v\d+:meta$/.exec(key);
      if (match) found.add(`${match[1]}/${match[2]}`); // the domain has no dots, so the rest is the name
    }
  } while (cursor !== '0');
  return [...found].sort();
}
