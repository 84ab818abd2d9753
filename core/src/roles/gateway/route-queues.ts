import type { Redis } from 'ioredis';
import { isCapabilityId } from '@lpx/sdk';

/**
 * Capabilities that already have route jobs in Redis — queued, or in the
 * inline ledger of a gateway that ran them without the queue (ADR 0067). A
 * gateway that starts (or restarts after a crash) serves these at once, so
 * queued, stalled and swept jobs accepted by any instance are routed without
 * waiting for a new request.
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
  for (const capabilityId of await ledgerCapabilities(redis, prefix)) found.add(capabilityId);
  return [...found].sort();
}

function capabilityOf(entry: string): string | undefined {
  try {
    const capabilityId = (JSON.parse(entry) as { capabilityId?: unknown } | null)?.capabilityId;
    return typeof capabilityId === 'string' && isCapabilityId(capabilityId) ? capabilityId : undefined;
  } catch {
    return undefined;
  }
}

/** Capabilities of the jobs in every inline ledger under the prefix (a dead gateway's too, until swept). */
async function ledgerCapabilities(redis: Redis, prefix: string): Promise<Set<string>> {
  const found = new Set<string>();
  const pattern = `${prefix.replace(/[*?[\]]/g, '\\$&')}:inline:*`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      for (const value of await redis.hvals(key)) {
        const capabilityId = capabilityOf(value);
        if (capabilityId !== undefined) found.add(capabilityId);
      }
    }
  } while (cursor !== '0');
  return found;
}
