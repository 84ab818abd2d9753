import { errors, type TranscodeProfile, type VideoCodec } from '@lpx/sdk';

/** libx264's and libx265's practical ceiling; larger frames are a mistake, not a job. */
const MAX_DIMENSION = 8192;
const PROFILES = new Set(['encoder-default', 'baseline', 'main', 'high', 'constrained-high']);

function invalid(profile: TranscodeProfile | undefined, why: string): never {
  throw errors.transcode.PROFILE_INVALID.create(`profile ${profile?.name ?? '(none)'}: ${why}`, { details: { profile: profile?.name } });
}

/**
 * Rejects what ffmpeg would reject later (or silently bend): the ladder is
 * checked before any process starts, so a bad request costs nothing.
 * 4:2:0 output needs even dimensions, hence the odd-size rule.
 */
export function validateProfiles(profiles: readonly TranscodeProfile[], encode: readonly VideoCodec[]): void {
  if (profiles.length === 0) invalid(undefined, 'the ladder is empty');
  const names = new Set<string>();
  for (const p of profiles) {
    if (typeof p.name !== 'string' || p.name.length === 0) invalid(p, 'no name');
    if (names.has(p.name)) invalid(p, 'name used twice in the ladder');
    names.add(p.name);
    for (const [key, value] of [['width', p.width], ['height', p.height]] as const) {
      if (!Number.isInteger(value) || value <= 0) invalid(p, `${key} must be a positive integer, got ${value}`);
      if (value % 2 !== 0) invalid(p, `${key} must be even for 4:2:0 video, got ${value}`);
      if (value > MAX_DIMENSION) invalid(p, `${key} ${value} is above ${MAX_DIMENSION}`);
    }
    if (!Number.isInteger(p.bitrate) || p.bitrate < 0 || (p.bitrate === 0 && p.quality <= 0)) invalid(p, `bitrate must be a positive integer (or 0 with a quality), got ${p.bitrate}`);
    if (!Number.isInteger(p.fps) || p.fps < 0) invalid(p, `fps must be a non-negative integer, got ${p.fps}`);
    if (!Number.isInteger(p.fpsDen) || p.fpsDen < 1) invalid(p, `fpsDen must be a positive integer, got ${p.fpsDen}`);
    if (!Number.isInteger(p.gopMs) || p.gopMs < -1) invalid(p, `gopMs must be -1, 0 or a positive integer, got ${p.gopMs}`);
    if (!Number.isFinite(p.quality) || p.quality < 0 || p.quality > 51) invalid(p, `quality must be within 0..51, got ${p.quality}`);
    if (!PROFILES.has(p.profile)) invalid(p, `unknown encoder profile ${String(p.profile)}`);
    if (p.format !== 'mpegts' && p.format !== 'mp4') invalid(p, `unknown format ${String(p.format)}`);
    if (!encode.includes(p.codec)) invalid(p, `codec ${String(p.codec)} is not one this ffmpeg encodes (${encode.join(', ') || 'none'})`);
  }
}
