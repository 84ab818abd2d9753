import type { JobsOptions } from 'bullmq';
import { errors, type SubmitOptions, type WaitOptions } from '@lpx/sdk';

/** The kernel's own wait options, beyond what plugins may pass. */
export interface KernelWaitOptions extends WaitOptions {
  /**
   * The job id was minted just now by the caller (a random UUID), so no job
   * of that id can have finished before: the read of an earlier result that
   * a caller-chosen (idempotent) id needs is skipped — two Redis round trips
   * per synchronous gateway request.
   */
  freshId?: boolean;
  /**
   * Run the job in this process without the queue when its processor is
   * bound and has room here, kept durable by the inline ledger (ADR 0067);
   * otherwise it is queued as usual. For callers that wait for the answer.
   */
  inline?: boolean;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF = { type: 'exponential', delayMs: 500 } as const;
/** BullMQ's own ceiling for priorities. */
const MAX_PRIORITY = 2 ** 21;
const MAX_JOB_ID_LENGTH = 256;

function invalid(message: string): Error {
  return errors.jobs.INVALID_OPTIONS.create(message);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/**
 * Checks submit options and turns them into BullMQ job options. Validation
 * happens here, before Redis, so a caller learns which field is wrong instead
 * of getting a BullMQ message about its internals.
 */
export function toBullJobOptions(capabilityId: string, options: SubmitOptions = {}): JobsOptions {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  if (!isPositiveInteger(attempts) || attempts > 100) {
    throw invalid(`attempts for ${capabilityId} must be an integer from 1 to 100, got ${String(options.attempts)}`);
  }
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  if (backoff.type !== 'fixed' && backoff.type !== 'exponential') {
    throw invalid(`backoff.type for ${capabilityId} must be 'fixed' or 'exponential', got ${String(backoff.type)}`);
  }
  if (typeof backoff.delayMs !== 'number' || !Number.isFinite(backoff.delayMs) || backoff.delayMs < 0) {
    throw invalid(`backoff.delayMs for ${capabilityId} must be a number >= 0, got ${String(backoff.delayMs)}`);
  }
  const bull: JobsOptions = { attempts, backoff: { type: backoff.type, delay: backoff.delayMs } };
  if (options.priority !== undefined) {
    if (!isPositiveInteger(options.priority) || options.priority > MAX_PRIORITY) {
      throw invalid(`priority for ${capabilityId} must be an integer from 1 to ${MAX_PRIORITY}, got ${String(options.priority)}`);
    }
    bull.priority = options.priority;
  }
  if (options.jobId !== undefined) {
    bull.jobId = checkJobId(capabilityId, options.jobId);
  }
  return bull;
}

function checkJobId(capabilityId: string, jobId: unknown): string {
  if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > MAX_JOB_ID_LENGTH) {
    throw invalid(`jobId for ${capabilityId} must be a non-empty string of at most ${MAX_JOB_ID_LENGTH} characters`);
  }
  // BullMQ reserves ':' for its keys and integer ids for its own counter.
  if (jobId.includes(':') || /^\d+$/.test(jobId)) {
    throw invalid(`jobId '${jobId}' for ${capabilityId} must not contain ':' or be only digits`);
  }
  return jobId;
}

/**
 * Node's timers hold a signed 32-bit delay: anything above fires after 1 ms
 * (with a warning), which turned a long wait into an instant 504.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function checkTimeout(capabilityId: string, timeoutMs: unknown): number {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw invalid(`timeoutMs for ${capabilityId} must be a positive number of at most ${MAX_TIMEOUT_MS} (about 24.8 days), got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}

export function checkConcurrency(capabilityId: string, concurrency: unknown): number {
  if (!isPositiveInteger(concurrency) || concurrency > 10_000) {
    throw invalid(`concurrency for ${capabilityId} must be an integer from 1 to 10000, got ${String(concurrency)}`);
  }
  return concurrency;
}
