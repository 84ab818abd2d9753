import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface TranscodeMetrics {
  segment(backend: string, outcome: 'ok' | 'error' | 'cancelled' | 'invalid', seconds: number): void;
  capacity(backend: string, capacity: number): void;
}

/** lpx_transcode_*: per backend, so an operator sees which device class does the work and which fails. */
export function createTranscodeMetrics(registry: Registry | undefined): TranscodeMetrics {
  if (registry === undefined) return { segment: () => {}, capacity: () => {} };
  const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;
  const segments =
    existing<Counter<'backend' | 'outcome'>>('lpx_transcode_segments_total') ??
    new Counter({ name: 'lpx_transcode_segments_total', help: 'Segments transcoded by this worker, by backend and outcome', labelNames: ['backend', 'outcome'], registers: [registry] });
  const seconds =
    existing<Histogram<'backend'>>('lpx_transcode_seconds') ??
    new Histogram({ name: 'lpx_transcode_seconds', help: 'Time a backend spent on one segment (all renditions)', labelNames: ['backend'], buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32], registers: [registry] });
  const capacity =
    existing<Gauge<'backend'>>('lpx_transcode_backend_capacity') ??
    new Gauge({ name: 'lpx_transcode_backend_capacity', help: 'Sessions a transcode backend holds as last probed (0 = unavailable)', labelNames: ['backend'], registers: [registry] });
  return {
    segment(backend, outcome, value) {
      segments.inc({ backend, outcome });
      seconds.observe({ backend }, value);
    },
    capacity(backend, value) {
      capacity.set({ backend }, value);
    },
  };
}
