/**
 * go-livepeer's exact strings for the orchestrator ↔ remote transcoder
 * protocol. Transcoders match on the gRPC texts to decide whether to stop
 * reconnecting; the task texts end up in the gateway's TranscodeResult.error.
 */
export const TRANSCODER_TEXT = {
  /** gRPC refusals (status UNKNOWN, like a plain Go error from a handler). */
  secretInvalid: 'invalid secret',
  zeroCapacity: 'zero capacity',
  /** Selection failures. */
  noneAvailable: 'no transcoders available',
  noneCompatible: 'no transcoders can provide requested capabilities',
  timeout: 'Remote transcoder took too long',
  /** Result checks before the renditions are handed back. */
  mismatchedSegments: 'MismatchedSegments',
  zeroSegments: 'ZeroSegments',
  unknownPerceptualHash: 'Unknown perceptual hash',
  /** /transcodeResults replies. */
  ok: 'OK',
  unauthorized: 'Unauthorized',
  invalidTaskId: 'Invalid Task ID',
  invalidPixels: 'Invalid Pixels',
} as const;

/** The Authorization value a transcoder sends with its results. */
export const TRANSCODER_PROTOCOL = 'Livepeer-Transcoder-1.0';
/** The Content-Type of a result that is an error text rather than renditions. */
export const TRANSCODING_ERROR_MIME = 'livepeer/transcoding-error';
/** What go-livepeer puts in NotifySegment.profiles so pre-SegData transcoders fail loudly. */
export const INVALID_PROFILES = new Uint8Array(Buffer.from('invalid', 'latin1'));
/** go-livepeer's minimum size of a real rendition; smaller outputs are treated as missing. */
export const MIN_RENDITION_BYTES = 25;
/** common.HTTPTimeout: the floor of the per-task timeout. */
export const MIN_TASK_TIMEOUT_MS = 8_000;
export const TASK_TIMEOUT_DURATION_FACTOR = 4;
