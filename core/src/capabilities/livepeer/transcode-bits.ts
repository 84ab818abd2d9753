/**
 * go-livepeer capability bits for `video/transcode`, derived from what the
 * node's live transcode backends say they decode, encode and write — not a
 * fixed set. A software (libx264) backend lands exactly on go-livepeer's
 * software-mode set; HEVC/VP8/VP9 bits appear only when a backend lists them.
 */
import type { CapabilityConstraints } from '@lpx/sdk';

export type TranscodeConstraint = NonNullable<CapabilityConstraints['transcode']>;

/** H.264 in and out brings the bits every go-livepeer transcoder has: profiles, GOP, fractional rates, storage, slicing, auth token, signature. */
const H264_BASE = [0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 26];
/**
 * H.264 4:4:4 / 4:2:2 / 10-bit decode. go-livepeer tests these with clips per
 * device; we grant them with H.264 decode (true of ffmpeg's software decoder).
 * A hardware-only node may over-claim them: a known gap (ADR 0021).
 */
const H264_DECODE_EXTRAS = [21, 22, 23, 24, 25];
const FORMAT_BITS: Readonly<Record<string, number>> = { mpegts: 1, mp4: 2 };
const DECODE_BITS: Readonly<Record<string, number>> = { HEVC: 15, VP8: 17, VP9: 18 };
const ENCODE_BITS: Readonly<Record<string, number>> = { HEVC: 16, VP8: 19, VP9: 20 };

export function transcodeBitsFor(constraint: TranscodeConstraint): number[] {
  const ids = new Set<number>();
  const h264 = constraint.decode.includes('H264') && constraint.encode.includes('H264');
  if (h264) H264_BASE.forEach((id) => ids.add(id));
  if (constraint.decode.includes('H264')) H264_DECODE_EXTRAS.forEach((id) => ids.add(id));
  for (const format of constraint.formats) if (FORMAT_BITS[format] !== undefined) ids.add(FORMAT_BITS[format]);
  for (const codec of constraint.decode) if (DECODE_BITS[codec] !== undefined) ids.add(DECODE_BITS[codec]);
  for (const codec of constraint.encode) if (ENCODE_BITS[codec] !== undefined) ids.add(ENCODE_BITS[codec]);
  return [...ids].sort((a, b) => a - b);
}
