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
  logger?.warn({ queue: worker.name, drainTimeoutMs }, 'active jobs outlived the drain timeout; aborting them');
  worker.cancelAllJobs('lpx node is shutting down');
  if (await within(closing, ABORT_GRACE_MS)) return;
  logger?.warn({ queue: worker.name }, 'processors ignored the abort signal; leaving their jobs to the stalled check');
  await worker.disconnect().catch(() => undefined);
}
