/**
 * What the gateway counts for segments on the node's /metrics: segments
 * transcoded and failed, renditions received and the output pixels paid
 * for, per orchestrator. Reused when already registered (several hosts in
 * one process).
 */
import type { Registry } from 'prom-client';
import type { SegmentPhases } from './segment-router.js';
import { orchestratorMetrics } from '../../observability/gateway-metrics.js';
import { counterOf as counter, histogramOf } from '../../observability/metric-kit.js';

export interface SegmentMetrics {
  transcoded(orchestrator: string, renditions: number, pixels: bigint, phases?: SegmentPhases): void;
  failed(): void;
}

export function segmentMetrics(registry: Registry): SegmentMetrics {
  const segments = counter(registry, 'lpx_gateway_segments_total', 'Video segments routed by this gateway, by outcome.', ['outcome']);
  const renditions = counter(registry, 'lpx_gateway_segment_renditions_total', 'Renditions received and verified, by orchestrator.', ['orchestrator']);
  const pixels = counter(registry, 'lpx_gateway_segment_pixels_total', 'Output pixels orchestrators charged for verified renditions, by orchestrator.', ['orchestrator']);
  const seconds = histogramOf(
    registry,
    'lpx_gateway_segment_seconds',
    'Time of a successful segment attempt by phase: prepare (tickets, SegData), transcode (POST /segment to its result), download (renditions), verify.',
    ['phase'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
  );
  const orchestrators = orchestratorMetrics(registry);
  return {
    transcoded(orchestrator, count, charged, phases) {
      let totalMs = 0;
      for (const [phase, ms] of Object.entries(phases ?? {})) {
        seconds.observe({ phase }, ms / 1000);
        totalMs += ms;
      }
      orchestrators.succeeded(orchestrator, totalMs / 1000);
      segments.inc({ outcome: 'transcoded' });
      renditions.inc({ orchestrator }, count);
      // prom-client counters are floats: exact up to 2^53 pixels per increment, far above one segment.
      pixels.inc({ orchestrator }, Number(charged));
    },
    failed: () => segments.inc({ outcome: 'failed' }),
  };
}
