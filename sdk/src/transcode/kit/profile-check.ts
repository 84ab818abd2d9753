import { transcodeErrors } from '../../errors/codes/transcode.js';
import type { TranscodeProfile, VideoCodec } from '../profiles.js';

/** An encoder's coding size range for one codec; outside it the encoder refuses to open. */
export interface SizeLimits {
  readonly minWidth: number;
  readonly minHeight: number;
  readonly maxWidth: number;
  readonly maxHeight: number;
}

/** Size ranges by codec; a codec without an entry is only checked for even, positive sizes. */
export type EncoderSizeLimits = Readonly<Partial<Record<VideoCodec, SizeLimits>>>;

const ENCODER_PROFILES = new Set(['encoder-default', 'baseline', 'main', 'high', 'constrained-high']);
const FORMATS = new Set(['mpegts', 'mp4']);

const invalid = (profile: TranscodeProfile | undefined, why: string): Error =>
  transcodeErrors.PROFILE_INVALID.create(`${profile?.name === undefined ? 'profile' : `profile ${profile.name}`}: ${why}`, { details: { profile: profile?.name } });

/**
 * Refuses a ladder the encoder cannot produce, before any process starts (a
 * coded 4xx, not an ffmpeg exit). `encodable` is what the probe found;
 * `limits` are the hardware's size ranges, which only the backend knows.
 */
export function checkProfiles(profiles: readonly TranscodeProfile[], encodable: readonly VideoCodec[], limits: EncoderSizeLimits = {}): void {
  if (profiles.length === 0) throw invalid(undefined, 'the ladder is empty');
  const names = new Set<string>();
  for (const p of profiles) {
    if (typeof p.name !== 'string' || p.name.length === 0) throw invalid(p, 'has no name');
    if (names.has(p.name)) throw invalid(p, 'the name appears twice in the ladder');
    names.add(p.name);
    if (!Number.isInteger(p.width) || !Number.isInteger(p.height) || p.width <= 0 || p.height <= 0) throw invalid(p, `resolution ${p.width}x${p.height} is not positive`);
    // 4:2:0 chroma halves both dimensions: an odd size cannot be encoded.
    if (p.width % 2 !== 0 || p.height % 2 !== 0) throw invalid(p, `resolution ${p.width}x${p.height} is odd`);
    if (!encodable.includes(p.codec)) throw invalid(p, `codec ${p.codec} is not encoded by this backend (encodes ${encodable.join(', ')})`);
    const limit = limits[p.codec];
    if (limit !== undefined && (p.width < limit.minWidth || p.height < limit.minHeight || p.width > limit.maxWidth || p.height > limit.maxHeight)) {
      throw invalid(p, `${p.width}x${p.height} is outside the encoder's ${p.codec} range ${limit.minWidth}x${limit.minHeight}..${limit.maxWidth}x${limit.maxHeight}`);
    }
    if (!Number.isInteger(p.bitrate) || p.bitrate < 0 || (p.bitrate === 0 && !(p.quality > 0))) throw invalid(p, `bitrate ${p.bitrate} must be a positive integer (or set a quality)`);
    if (!Number.isInteger(p.fps) || p.fps < 0 || !Number.isInteger(p.fpsDen) || p.fpsDen < 1) throw invalid(p, `frame rate ${p.fps}/${p.fpsDen} is not a rate`);
    if (!Number.isInteger(p.gopMs) || p.gopMs < -1) throw invalid(p, `gop ${p.gopMs} ms is not a GOP (ms ≥ 0, or -1 for intra)`);
    if (!Number.isFinite(p.quality) || p.quality < 0) throw invalid(p, `quality ${p.quality} is negative`);
    if (!ENCODER_PROFILES.has(p.profile)) throw invalid(p, `encoder profile ${String(p.profile)} is unknown`);
    if (!FORMATS.has(p.format)) throw invalid(p, `format ${String(p.format)} is neither mpegts nor mp4`);
  }
}
