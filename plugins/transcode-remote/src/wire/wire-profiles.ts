/**
 * Our TranscodeProfile as go-livepeer's wire VideoProfile, and which SegData
 * field carries a ladder: go-livepeer's NetSegData puts a ladder of integer
 * frame rates, default encoder profiles and default GOPs in fullProfiles
 * (all MPEG-TS) or fullProfiles2 (some MP4), anything else in fullProfiles3,
 * so transcoders of every age read what they understand.
 */
import type { TranscodeProfile } from '@lpx/sdk';
import type { TaskSegData, WireVideoProfile } from './register-messages.js';

const FORMAT = { mpegts: 0, mp4: 1 } as const;
const PROFILE = { 'encoder-default': 0, baseline: 1, main: 2, high: 3, 'constrained-high': 4 } as const;
const CODEC = { H264: 0, HEVC: 1, VP8: 2, VP9: 3 } as const;

export function wireProfile(profile: TranscodeProfile): WireVideoProfile {
  return {
    name: profile.name,
    width: profile.width,
    height: profile.height,
    bitrate: profile.bitrate,
    fps: profile.fps,
    // Go's zero value means "integer rate"; we keep 1 in our profiles.
    fpsDen: profile.fpsDen === 1 ? 0 : profile.fpsDen,
    format: FORMAT[profile.format],
    profile: PROFILE[profile.profile],
    gop: profile.gopMs,
    encoder: CODEC[profile.codec],
    quality: profile.quality,
  };
}

export function profilesField(profiles: readonly WireVideoProfile[]): TaskSegData['profilesField'] {
  const plain = profiles.every((p) => p.fpsDen === 0 && p.profile === 0 && p.gop === 0);
  if (!plain) return 'fullProfiles3';
  return profiles.every((p) => p.format === 0) ? 'fullProfiles' : 'fullProfiles2';
}
