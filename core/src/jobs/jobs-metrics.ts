import type { Counter, Histogram, Registry } from 'prom-client';
import { counterOf, histogramOf } from '../observability/metric-kit.js';
import { nodeEventsOf } from '../observability/node-events.js';

/**
 * What a JobsKernel reports about its jobs: metrics and the node's event
 * stream. The worker lanes use createJobsMetrics; the gateway's route queue
 * passes its own (gateway request metrics) through JobsKernelOptions.observer.
 */
export interface JobsObserver {
  queued(capabilityId: string, id: string): void;
  started(capabilityId: string, id: string, attempt: number): void;
  completed(capabilityId: string, seconds: number, id?: string, attempt?: number): void;
  failed(capabilityId: string, seconds: number, final: boolean, id?: string, attempt?: number, error?: string): void;
}

/** Kept for the callers that name it: the worker lanes' observer. */
export type JobsMetrics = JobsObserver;

const noMetrics: JobsObserver = { queued() {}, started() {}, completed() {}, failed() {} };

/** Reuses a metric already in the registry, so two kernels (tests, multi-role nodes) can share one. */
function counter(registry: Registry, name: string, help: string): Counter<'capability'> {
  return counterOf(registry, name, help, ['capability']);
}

function histogram(registry: Registry): Histogram<'capability' | 'outcome'> {
  return histogramOf(registry, 'lpx_job_duration_seconds', 'Time a processor spent on one attempt of a job, by capability and outcome.', ['capability', 'outcome'], [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800]);
}

/** Recorded by the process that ran the processor, so each attempt is counted once cluster-wide. */
export function createJobsMetrics(registry: Registry | undefined): JobsObserver {
  if (!registry) return noMetrics;
  const completed = counter(registry, 'lpx_jobs_completed_total', 'Jobs whose processor returned a result, by capability.');
  const failed = counter(registry, 'lpx_jobs_failed_total', 'Jobs that failed their last allowed attempt, by capability.');
  const retried = counter(registry, 'lpx_jobs_retried_total', 'Failed attempts that will be retried, by capability.');
  const duration = histogram(registry);
  const events = nodeEventsOf(registry);
  return {
    queued(capability, id) {
      events.emit({ type: 'job', phase: 'queued', scope: 'node', capability, id, at: Date.now() });
    },
    started(capability, id, attempt) {
      events.emit({ type: 'job', phase: 'started', scope: 'node', capability, id, attempt, at: Date.now() });
    },
    completed(capability, seconds, id = '', attempt) {
      completed.inc({ capability });
      duration.observe({ capability, outcome: 'completed' }, seconds);
      events.emit({ type: 'job', phase: 'completed', scope: 'node', capability, id, outcome: 'completed', durationMs: seconds * 1000, ...(attempt !== undefined ? { attempt } : {}), at: Date.now() });
    },
    failed(capability, seconds, final, id = '', attempt, error) {
      (final ? failed : retried).inc({ capability });
      duration.observe({ capability, outcome: 'failed' }, seconds);
      events.emit({ type: 'job', phase: final ? 'failed' : 'retried', scope: 'node', capability, id, outcome: 'failed', durationMs: seconds * 1000, ...(attempt !== undefined ? { attempt } : {}), ...(error !== undefined ? { error } : {}), at: Date.now() });
    },
  };
}
