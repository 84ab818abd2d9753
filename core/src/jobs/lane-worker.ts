import { Worker, type KeepJobs, type Processor } from 'bullmq';
import type { EventDemand } from './event-demand.js';
import type { ResolvedKernelOptions } from './jobs-kernel-options.js';
import type { LaneDeps } from './capability-lane.js';
import { settleLocally } from './local-results.js';
import type { ResultWaiters } from './result-waiters.js';

/** How long finished jobs stay in Redis: the queue's defaults and the worker's, alike. */
export function retentionOf(options: ResolvedKernelOptions): { removeOnComplete: KeepJobs; removeOnFail: KeepJobs } {
  return {
    removeOnComplete: { age: options.completed.ageSeconds, count: options.completed.count },
    removeOnFail: { age: options.failed.ageSeconds, count: options.failed.count },
  };
}

/**
 * The BullMQ worker of a lane whose processor is bound in this process, wired
 * to the lane's waiters: outcomes settle local waiters directly (ADR 0061),
 * and its starts and retries tell the events reader's demand (ADR 0065)
 * which waiters need the stream.
 */
export function createLaneWorker(
  queueName: string,
  processor: Processor<unknown, unknown>,
  concurrency: number,
  deps: LaneDeps,
  lane: { readonly waiters: ResultWaiters; readonly demand: EventDemand },
): Worker {
  const { capabilityId, connection, options, logger, blobs } = deps;
  const worker = new Worker(queueName, processor, {
    connection,
    prefix: options.prefix,
    concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: options.maxStalledCount,
    ...retentionOf(options),
  });
  worker.on('error', (error) => logger?.debug({ err: error.message, capabilityId }, 'worker connection error (retrying)'));
  if (blobs) {
    worker.on('completed', (job) => {
      void blobs.releaseInput(job.data).catch((error: unknown) => logger?.debug({ err: error, capabilityId, jobId: job.id }, 'releasing input blobs failed; the reaper will'));
    });
  }
  worker.on('active', (job) => {
    if (job.id !== undefined) lane.demand.startedHere(job.id);
  });
  worker.on('failed', (job, error) => {
    logger?.warn({ capabilityId, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'job attempt failed');
    // Retried, the job may run in any process next: its waiter here reads the events from now on.
    if (job?.id !== undefined && job.finishedOn === undefined) lane.demand.retrying(job.id);
  });
  // A waiter in this process gets the outcome from the worker that wrote it (ADR 0061): one queue round
  // trip, not a second one through the events stream, which stays the path for waiters elsewhere.
  settleLocally(worker, lane.waiters, blobs, logger, capabilityId);
  return worker;
}
