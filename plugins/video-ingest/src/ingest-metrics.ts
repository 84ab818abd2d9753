import type { MetricsService } from '@lpx/sdk';

/** What the ingest counts; the plugin's metrics land on /metrics as lpx_video_ingest_*. */
export interface IngestMetrics {
  segmentIn(result: 'transcoded' | 'replayed' | 'refused' | 'failed'): void;
  renditionsOut(count: number): void;
  failure(code: string): void;
  streams(count: number): void;
  bufferBytes(bytes: number): void;
}

export function ingestMetrics(metrics: MetricsService): IngestMetrics {
  const segments = metrics.counter<'result'>({ name: 'segments_in_total', help: 'Pushed segments by outcome', labelNames: ['result'] });
  const renditions = metrics.counter({ name: 'renditions_out_total', help: 'Renditions produced for pushed segments (replays not counted)' });
  const segmentsOut = metrics.counter({ name: 'segments_out_total', help: 'Segments whose every rendition came back' });
  const failures = metrics.counter<'code'>({ name: 'failures_total', help: 'Refused or failed pushes by error code', labelNames: ['code'] });
  const streams = metrics.gauge({ name: 'streams', help: 'Live pushed streams' });
  const buffer = metrics.gauge({ name: 'buffer_bytes', help: 'Rendition bytes held for HLS' });
  return {
    segmentIn: (result) => segments.inc({ result }),
    renditionsOut: (count) => {
      segmentsOut.inc();
      renditions.inc({}, count);
    },
    failure: (code) => failures.inc({ code }),
    streams: (count) => streams.set({}, count),
    bufferBytes: (bytes) => buffer.set({}, bytes),
  };
}

export const noMetrics: IngestMetrics = { segmentIn() {}, renditionsOut() {}, failure() {}, streams() {}, bufferBytes() {} };
