/**
 * The output profiles an orchestrator transcodes to, taken from SegData the
 * way go-livepeer does (`coreSegMetadata` / `makeFfmpegVideoProfiles`): the
 * newest non-empty list wins (fullProfiles3, then 2, then 1), unknown enum
 * values are refused with go-livepeer's texts, and a nameless profile gets
 * `net_<width>x<height>_<bitrate>`. The names matter beyond display: the
 * segment signature covers them.
 */
import { segmentErrors } from './segment-errors.js';
import { VIDEO_CODEC, VIDEO_FORMAT, VIDEO_PROFILE, type SegData, type VideoProfile } from './seg-data-types.js';

export const PROFILE_ERROR_TEXT = {
  format: 'unrecognized profile output format',
  profile: 'unrecognized encoder profile',
  encoder: 'unrecognized video codec',
} as const;

const FORMATS = new Set<number>(Object.values(VIDEO_FORMAT));
const PROFILES = new Set<number>(Object.values(VIDEO_PROFILE));
const CODECS = new Set<number>(Object.values(VIDEO_CODEC));

export function wireProfiles(seg: Pick<SegData, 'fullProfiles' | 'fullProfiles2' | 'fullProfiles3'>): readonly VideoProfile[] {
  if (seg.fullProfiles3.length > 0) return seg.fullProfiles3;
  if (seg.fullProfiles2.length > 0) return seg.fullProfiles2;
  return seg.fullProfiles;
}

/** go-livepeer's name for a profile sent without one. */
export function defaultProfileName(profile: Pick<VideoProfile, 'width' | 'height' | 'bitrate'>): string {
  return `net_${profile.width}x${profile.height}_${profile.bitrate}`;
}

/** The profiles to transcode to, names resolved; throws INVALID_PROFILE in go-livepeer's check order. */
export function resolveTranscodeProfiles(seg: Pick<SegData, 'fullProfiles' | 'fullProfiles2' | 'fullProfiles3'>): VideoProfile[] {
  return wireProfiles(seg).map((profile) => {
    const fault = !FORMATS.has(profile.format) ? 'format' : !PROFILES.has(profile.profile) ? 'profile' : !CODECS.has(profile.encoder) ? 'encoder' : undefined;
    if (fault !== undefined) {
      throw segmentErrors.INVALID_PROFILE.create(PROFILE_ERROR_TEXT[fault], {
        details: { field: fault, value: profile[fault], profile: profile.name },
      });
    }
    return profile.name === '' ? { ...profile, name: defaultProfileName(profile) } : profile;
  });
}
