import type { Worker } from 'bullmq';
import type { LoggerService } from '@lpx/sdk';
import { settleWithin as within } from './settle-within.js';

const ABORT_GRACE_MS = 2_000;


/**
 * Graceful stop in three steps: stop fetching and wait for active jobs; past
 * the drain timeout abort their signals; past a short grace cut the worker's
 * connections so its locks lapse and another worker's stalled check requeues
 * the jobs. Nothing accepted is lost at any step.
 */
export async function drainWorker(worker: Worker, drainTimeoutMs: number, logger: LoggerService | undefined): Promise<void> {
  const closing = worker.close();
  if (await within(closing, drainTimeoutMs)) return;
  logger?.warn({ queue: worker.name, drainTimeoutMs }, 'worker did not stop within the drain timeout (active jobs, or Redis unreachable); aborting active jobs');
  worker.cancelAllJobs('lpx node is shutting down');
  if (await within(closing, ABORT_GRACE_MS)) return;
  logger?.warn({ queue: worker.name }, 'worker still not stopped; disconnecting it, any job it held returns through the stalled check');
  await within(worker.disconnect(), ABORT_GRACE_MS);
  // BullMQ clears its lock-renewal timer only at the end of a close that is
  // now stuck; stop it here so the locks really lapse and the process can exit.
  await (worker as unknown as { lockManager?: { close(): Promise<void> } }).lockManager?.close();
}
