import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { LoggerService } from '@lpx/sdk';
import type { JobBlobsOptions } from './job-blobs.js';
import type { JobsObserver } from './jobs-metrics.js';

/** How long finished jobs stay inspectable; bounded so Redis does not grow forever. */
export interface RetentionOptions {
  ageSeconds: number;
  count: number;
}

export interface WorkerTuning {
  /** A worker holds a job's lock this long and renews it at half; a dead worker's jobs return after it lapses (default 30 s). */
  lockDurationMs?: number;
  /** How often each worker looks for jobs whose lock lapsed (default 15 s). */
  stalledIntervalMs?: number;
  /** Times a job may stall before it is failed instead of requeued (default 2). */
  maxStalledCount?: number;
  /** close() waits this long for active jobs before aborting them (default 30 s). */
  drainTimeoutMs?: number;
}

export interface JobsKernelOptions {
  /** A client from connectRedis(); BullMQ shares it for commands and duplicates it for blocking reads. */
  connection: Redis;
  /** Quit `connection` on close (default false: whoever connected it closes it). */
  ownsConnection?: boolean;
  /** Key prefix; the braces are a Redis Cluster hash tag keeping a queue's keys in one slot (default `{lpx}`). */
  prefix?: string;
  logger?: LoggerService;
  /** prom-client registry for lpx_jobs_* metrics; none → no metrics. */
  metrics?: Registry;
  /** Replaces the lpx_jobs_* metrics (the gateway's route queue counts requests instead). */
  observer?: JobsObserver;
  worker?: WorkerTuning;
  retention?: { completed?: RetentionOptions; failed?: RetentionOptions };
  /** Default submitAndWait timeout (default 60 s). */
  waitTimeoutMs?: number;
  /** A waiter older than this re-reads its job's state, covering events lost in a Redis crash (default 5 s). */
  waitPollMs?: number;
  /**
   * A waiter whose job has not started in a worker of this process after this long reads the queue's
   * events stream, as one whose job may run elsewhere does from the start (default 50 ms; ADR 0065).
   */
  localStartMs?: number;
  /** The events reader stops after this long with nobody needing it (default 5 s; ADR 0065). */
  eventsIdleStopMs?: number;
  /** Large job data and results go to this blob store, Redis keeps references (none: everything inline, as before). */
  blobs?: JobBlobsOptions;
}

export interface ResolvedKernelOptions {
  prefix: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  drainTimeoutMs: number;
  completed: RetentionOptions;
  failed: RetentionOptions;
  waitTimeoutMs: number;
  waitPollMs: number;
  localStartMs: number;
  eventsIdleStopMs: number;
}

export function resolveKernelOptions(options: JobsKernelOptions): ResolvedKernelOptions {
  return {
    prefix: options.prefix ?? '{lpx}',
    lockDurationMs: options.worker?.lockDurationMs ?? 30_000,
    stalledIntervalMs: options.worker?.stalledIntervalMs ?? 15_000,
    maxStalledCount: options.worker?.maxStalledCount ?? 2,
    drainTimeoutMs: options.worker?.drainTimeoutMs ?? 30_000,
    // Completed jobs matter only to late pollers; failed ones are evidence.
    completed: options.retention?.completed ?? { ageSeconds: 3_600, count: 10_000 },
    failed: options.retention?.failed ?? { ageSeconds: 7 * 24 * 3_600, count: 50_000 },
    waitTimeoutMs: options.waitTimeoutMs ?? 60_000,
    waitPollMs: options.waitPollMs ?? 5_000,
    localStartMs: options.localStartMs ?? 50,
    eventsIdleStopMs: options.eventsIdleStopMs ?? 5_000,
  };
}
