/**
 * What a segment route job carries through BullMQ (capability
 * `video/transcode`) and what it returns. The segment and rendition bytes are
 * Buffers: the jobs kernel puts large ones in the blob store and keeps only a
 * reference in Redis (docs/adr/0020-blob-store.md). Pixels travel as decimal
 * strings (JSON has no bigint).
 */
import { errors, type SegmentTranscodeRequest, type TranscodeProfile } from '@lpx/sdk';
import { MAX_SEGMENT_DURATION_MS } from '../../network/segment/index.js';

export interface SegmentJobInput {
  readonly streamId: string;
  readonly seq: number;
  readonly data: Buffer;
  readonly durationMs: number;
  readonly profiles: readonly TranscodeProfile[];
}

export interface SegmentJobRendition {
  readonly profile: string;
  readonly data: Buffer;
  readonly pixels: string;
}

export interface SegmentJobOutput {
  readonly seq: number;
  readonly renditions: readonly SegmentJobRendition[];
}

/** go-livepeer's manifest id limit is its header size; ours is the SegData codec's. */
const MAX_STREAM_ID_BYTES = 1_024;

function profileInvalid(message: string, details: Record<string, unknown> = {}): Error {
  return errors.transcode.PROFILE_INVALID.create(message, { details });
}

/** Refuses what no orchestrator should be paid for, before anything is queued. */
export function checkSegmentRequest(request: Pick<SegmentTranscodeRequest, 'streamId' | 'seq' | 'data' | 'durationMs' | 'profiles'>): void {
  if (typeof request.streamId !== 'string' || request.streamId === '' || Buffer.byteLength(request.streamId, 'utf8') > MAX_STREAM_ID_BYTES) {
    throw errors.http.BAD_REQUEST.create(`streamId must be 1 to ${MAX_STREAM_ID_BYTES} bytes`);
  }
  if (!Number.isSafeInteger(request.seq) || request.seq < 0) throw errors.http.BAD_REQUEST.create(`seq must be a non-negative integer, got ${request.seq}`);
  if (!(request.data instanceof Uint8Array) || request.data.byteLength === 0) throw errors.transcode.INPUT_INVALID.create('the segment is empty');
  if (!Number.isFinite(request.durationMs) || request.durationMs < 0 || request.durationMs > MAX_SEGMENT_DURATION_MS) {
    throw errors.transcode.INPUT_INVALID.create(`durationMs must be from 0 to ${MAX_SEGMENT_DURATION_MS}, got ${request.durationMs}`);
  }
  if (!Array.isArray(request.profiles) || request.profiles.length === 0) throw profileInvalid('the ladder has no profiles');
  const names = new Set<string>();
  for (const profile of request.profiles) {
    if (typeof profile.name !== 'string' || profile.name === '') throw profileInvalid('a profile has no name');
    if (names.has(profile.name)) throw profileInvalid(`profile name ${profile.name} appears twice`, { profile: profile.name });
    names.add(profile.name);
    for (const field of ['width', 'height', 'bitrate'] as const) {
      if (!Number.isSafeInteger(profile[field]) || profile[field] <= 0) throw profileInvalid(`profile ${profile.name}: ${field} must be a positive integer`, { profile: profile.name, field });
    }
    if (!Number.isSafeInteger(profile.fps) || profile.fps < 0 || !Number.isSafeInteger(profile.fpsDen) || profile.fpsDen < 0) {
      throw profileInvalid(`profile ${profile.name}: fps and fpsDen must be non-negative integers`, { profile: profile.name });
    }
  }
}

/** A job input read back from Redis: it may come from anywhere (a client posting to /v1/jobs/video/transcode), so it is checked again. */
export function segmentJobInput(input: unknown): SegmentJobInput {
  const value = input as Partial<SegmentJobInput> | null;
  if (value === null || typeof value !== 'object') throw errors.http.BAD_REQUEST.create('a video/transcode route job needs a segment input');
  // Without a blob codec in between, BullMQ's JSON turns a Buffer into { type: 'Buffer', data: [...] }.
  const raw = value.data as unknown as { type?: unknown; data?: unknown } | undefined;
  const data = raw !== undefined && !(raw instanceof Uint8Array) && raw.type === 'Buffer' && Array.isArray(raw.data) ? Buffer.from(raw.data as number[]) : value.data;
  const segment = { ...value, data } as SegmentJobInput;
  checkSegmentRequest(segment);
  return segment;
}
