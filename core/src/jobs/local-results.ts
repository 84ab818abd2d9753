/**
 * Outcomes handed to waiters in the process whose worker produced them
 * (ADR 0061). BullMQ emits a worker's `completed` and `failed` only after
 * the job's new state is written to Redis, so a waiter settled here sees
 * nothing that a crash could take back: the job stays durable, only the
 * second trip (the queue's events stream, read by a blocking XREAD) is
 * skipped. Waiters in other processes still get the outcome from that
 * stream; a waiter settled twice ignores the second.
 */
import type { Worker } from 'bullmq';
import type { LoggerService } from '@lpx/sdk';
import type { JobBlobs } from './job-blobs.js';
import type { ResultWaiters } from './result-waiters.js';

/**
 * What a reader of the events stream would get: BullMQ stores the result as
 * JSON and the stream's reader parses it, so a local waiter gets the same
 * plain copy, not the processor's own object (no shared mutation, no
 * class instances or `undefined` fields only a local caller would see).
 */
export function asStored(result: unknown): unknown {
  const text = JSON.stringify(result);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

export function settleLocally(worker: Worker, waiters: ResultWaiters, blobs: JobBlobs | undefined, logger: LoggerService | undefined, capabilityId: string): void {
  worker.on('completed', (job, result: unknown) => {
    const jobId = job.id;
    // Nobody here waits for most jobs a worker runs (they came from other processes): skip the copy.
    if (jobId === undefined || !waiters.has(jobId)) return;
    if (!blobs?.needsDecoding(result)) return waiters.settle(jobId, { state: 'completed', result: asStored(result) });
    blobs.decode(result).then(
      (decoded) => waiters.settle(jobId, { state: 'completed', result: decoded }),
      // The events stream's reader tries the same read; its failure, if any, settles the waiter.
      (error: unknown) => logger?.debug({ err: error, capabilityId, jobId }, 'a local job result blob could not be read'),
    );
  });
  worker.on('failed', (job, error) => {
    const jobId = job?.id;
    // Only a final failure settles a waiter; a retried attempt left the job waiting or delayed.
    // BullMQ sets finishedOn only when the job moved to failed for good.
    if (job === undefined || jobId === undefined || job.finishedOn === undefined || !waiters.has(jobId)) return;
    waiters.settle(jobId, { state: 'failed', reason: job.failedReason ?? error.message });
  });
}
