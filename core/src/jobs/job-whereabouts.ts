import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Where a job that has not started in this process's worker is: still queued, held by that worker, finished, or elsewhere. */
export type Whereabouts = 'queued' | 'here' | 'finished' | 'elsewhere';

/**
 * One look at a job for the events reader's demand (ADR 0065). BullMQ's
 * worker fetches ahead: a job it holds is active in Redis, locked with the
 * worker's token (`<worker id>:<n>`), before its `active` event fires here.
 */
export async function whereIs(queue: Queue, connection: Redis, workerId: string | undefined, jobId: string): Promise<Whereabouts> {
  const state = await queue.getJobState(jobId);
  if (state === 'waiting' || state === 'prioritized' || state === 'waiting-children') return 'queued';
  if (state === 'completed' || state === 'failed') return 'finished';
  if (state !== 'active' || workerId === undefined) return 'elsewhere';
  const lock = await connection.get(`${queue.toKey(jobId)}:lock`);
  return lock?.startsWith(`${workerId}:`) === true ? 'here' : 'elsewhere';
}
