import type { Job, Queue } from 'bullmq';
import type { JobState, JobStatus } from '@lpx/sdk';
import type { FinishedJob } from './result-waiters.js';

const KNOWN_STATES: ReadonlySet<string> = new Set<JobState>([
  'waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children',
]);

function toState(state: string): JobState {
  return KNOWN_STATES.has(state) ? (state as JobState) : 'unknown';
}

export function toJobStatus<Output>(capabilityId: string, job: Job, state: string): JobStatus<Output> {
  const status: {
    -readonly [K in keyof JobStatus<Output>]: JobStatus<Output>[K];
  } = {
    id: job.id ?? '',
    capabilityId,
    state: toState(state),
    progress: job.progress as JobStatus['progress'],
    attemptsMade: job.attemptsMade,
    createdAt: job.timestamp,
  };
  if (status.state === 'completed') status.result = job.returnvalue as Output;
  if (job.failedReason) status.failedReason = job.failedReason;
  if (job.finishedOn) status.finishedAt = job.finishedOn;
  return status;
}

/**
 * State first, then the job: a job that finishes between the two reads then
 * shows its old state with whatever it has, never "completed" without its result.
 */
async function stateThenJob(queue: Queue, jobId: string) {
  const state = await queue.getJobState(jobId);
  const job = await queue.getJob(jobId);
  return job === undefined ? undefined : { job, state };
}

export async function readJobStatus<Output>(queue: Queue, capabilityId: string, jobId: string): Promise<JobStatus<Output> | undefined> {
  const read = await stateThenJob(queue, jobId);
  if (!read) return undefined;
  return toJobStatus<Output>(capabilityId, read.job, read.state);
}

/** Only 'completed' and 'failed' are final: a job between retries is 'delayed' or 'waiting'. */
export async function readFinished(queue: Queue, jobId: string): Promise<FinishedJob | undefined> {
  const read = await stateThenJob(queue, jobId);
  if (!read) return undefined;
  const { job, state } = read;
  if (state === 'completed') return { state: 'completed', result: job.returnvalue };
  if (state === 'failed') return { state: 'failed', reason: job.failedReason ?? 'unknown reason' };
  return undefined;
}
