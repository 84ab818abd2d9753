import { availableParallelism } from 'node:os';

/** How many node processes `dev up` boots at once: one per core, at least two. */
export function startConcurrency(cores: number = availableParallelism()): number {
  return Math.max(2, cores);
}

/**
 * `Promise.all(items.map(fn))` with at most `limit` calls running; results in
 * input order. The first failure rejects and no further call starts (calls
 * already running finish), so a failed start does not go on spawning nodes.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
