import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { JobsService, LoggerService } from '@lpx/sdk';
import { JobsKernel, type JobBlobsOptions } from '../jobs/index.js';
import { connectRedis } from '../redis/index.js';
import { queueDepthMetrics } from '../observability/queue-metrics.js';

export interface JobsRuntime {
  /** The unscoped service (CLI, demo, test host); plugins get `forPlugin` views. */
  readonly service: JobsService;
  /** `registeredAtRuntime`: ids the plugin registered through CapabilitiesService.register count as declared. */
  forPlugin(pluginId: string, capabilityIds: readonly string[], registeredAtRuntime?: (capabilityId: string) => boolean): JobsService;
  startWorkers(): Promise<void>;
  /** Jobs this process runs at once for a capability it processes; 0 pauses (transcode capacity moves with backends). */
  setConcurrency(capabilityId: string, concurrency: number): Promise<void>;
  /** Stops taking jobs, drains the active ones, then closes queues; idempotent. */
  close(): Promise<void>;
  ping(): Promise<void>;
  /** submitAndWait for a job that may stream (JobContext.stream); see JobsKernel.submitAndStream. */
  submitAndStream: JobsKernel['submitAndStream'];
}

export interface JobsRuntimeOptions {
  url: string;
  prefix: string;
  /** Start refuses with LPX_ERR_REDIS_UNREACHABLE when Redis has not answered by then (config redis.connectTimeoutMs). */
  connectTimeoutMs?: number;
  logger: Logger;
  metrics: Registry;
  tuning: { drainTimeoutMs: number; lockDurationMs: number; stalledIntervalMs: number; localStartMs?: number };
  /** Offload large job data and results (none: inline in Redis). */
  blobs?: JobBlobsOptions;
}

/** Connects (failing fast when Redis is absent) and wraps the JobsKernel for the host's lifecycle. */
export async function createJobsRuntime(options: JobsRuntimeOptions): Promise<JobsRuntime> {
  const logger = options.logger.child({ component: 'jobs' }) as unknown as LoggerService;
  const connection: Redis = await connectRedis(options.url, { logger, connectionName: 'lpx-jobs', ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }) });
  const kernel = new JobsKernel({ connection, ownsConnection: true, prefix: options.prefix, logger, metrics: options.metrics, worker: options.tuning, ...(options.tuning.localStartMs === undefined ? {} : { localStartMs: options.tuning.localStartMs }), ...(options.blobs ? { blobs: options.blobs } : {}) });
  queueDepthMetrics(options.metrics, 'node', kernel);
  return {
    service: kernel,
    forPlugin: (pluginId, capabilityIds, registeredAtRuntime) => kernel.forPlugin(pluginId, capabilityIds, registeredAtRuntime),
    startWorkers: async () => kernel.start(),
    setConcurrency: (capabilityId, concurrency) => kernel.setConcurrency(capabilityId, concurrency),
    close: () => kernel.close(),
    submitAndStream: (capabilityId, data, options) => kernel.submitAndStream(capabilityId, data, options),
    ping: async () => {
      await connection.ping();
    },
  };
}
