import { Counter, Histogram, type Registry } from 'prom-client';

export interface JobsMetrics {
  completed(capabilityId: string, seconds: number): void;
  failed(capabilityId: string, seconds: number, final: boolean): void;
}

const noMetrics: JobsMetrics = { completed() {}, failed() {} };

/** Reuses a metric already in the registry, so two kernels (tests, multi-role nodes) can share one. */
function counter(registry: Registry, name: string, help: string): Counter<'capability'> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<'capability'>;
  return new Counter({ name, help, labelNames: ['capability'], registers: [registry] });
}

function histogram(registry: Registry): Histogram<'capability' | 'outcome'> {
  const name = 'lpx_job_duration_seconds';
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Histogram<'capability' | 'outcome'>;
  return new Histogram({
    name,
    help: 'Time a processor spent on one attempt of a job, by capability and outcome.',
    labelNames: ['capability', 'outcome'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
}

/** Recorded by the process that ran the processor, so each attempt is counted once cluster-wide. */
export function createJobsMetrics(registry: Registry | undefined): JobsMetrics {
  if (!registry) return noMetrics;
  const completed = counter(registry, 'lpx_jobs_completed_total', 'Jobs whose processor returned a result, by capability.');
  const failed = counter(registry, 'lpx_jobs_failed_total', 'Jobs that failed their last allowed attempt, by capability.');
  const retried = counter(registry, 'lpx_jobs_retried_total', 'Failed attempts that will be retried, by capability.');
  const duration = histogram(registry);
  return {
    completed(capability, seconds) {
      completed.inc({ capability });
      duration.observe({ capability, outcome: 'completed' }, seconds);
    },
    failed(capability, seconds, final) {
      (final ? failed : retried).inc({ capability });
      duration.observe({ capability, outcome: 'failed' }, seconds);
    },
  };
}
