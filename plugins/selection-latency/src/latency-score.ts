/** go-livepeer floors the segment duration at 1.5 s so short segments do not inflate the score into constant swaps. */
export const MIN_SCORE_DENOMINATOR_MS = 1500;

/** Transcoding latency score: round trip (upload + transcode + download) over the segment duration. */
export function latencyScore(latencyMs: number, segmentDurationMs: number): number {
  return latencyMs / Math.max(MIN_SCORE_DENOMINATOR_MS, segmentDurationMs);
}
