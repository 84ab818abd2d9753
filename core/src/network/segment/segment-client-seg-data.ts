/**
 * The gateway's Livepeer-Segment header, built as go-livepeer's gateway
 * builds it (`genSegCreds` / `NetSegData`): keccak256 of the bytes sent, the
 * duration in ms, the job's capability bits, the orchestrator's auth token,
 * the deprecated `profiles` field set to ASCII `invalid` (so an orchestrator
 * too old for fullProfiles fails loudly), the profiles in the oldest field
 * that can carry them, and the gateway's signature over Flatten.
 */
import type { EncoderProfile, TranscodeProfile, VideoCodec } from '@lpx/sdk';
import { errors } from '@lpx/sdk';
import { jobCapabilitiesForTranscode, type H264ProfileName, type LivepeerCapabilities, type VideoCodecName } from '../../capabilities/index.js';
import { keccak256 } from '../../payments/index.js';
import type { PersonalSigner } from '../auth/gateway-signature.js';
import type { AuthToken } from '../wire/types.js';
import { emptySegData, encodeSegDataHeader } from './seg-data-codec.js';
import { VIDEO_CODEC, VIDEO_FORMAT, VIDEO_PROFILE, type SegData, type VideoProfile } from './seg-data-types.js';
import { signSegment } from './segment-signature.js';

const CODECS: Record<VideoCodec, number> = { H264: VIDEO_CODEC.H264, HEVC: VIDEO_CODEC.H265, VP8: VIDEO_CODEC.VP8, VP9: VIDEO_CODEC.VP9 };
const CODEC_NAMES: Record<VideoCodec, VideoCodecName> = { H264: 'h264', HEVC: 'hevc', VP8: 'vp8', VP9: 'vp9' };
const ENCODER_PROFILES: Record<EncoderProfile, number> = {
  'encoder-default': VIDEO_PROFILE.ENCODER_DEFAULT,
  baseline: VIDEO_PROFILE.H264_BASELINE,
  main: VIDEO_PROFILE.H264_MAIN,
  high: VIDEO_PROFILE.H264_HIGH,
  'constrained-high': VIDEO_PROFILE.H264_CONSTRAINED_HIGH,
};
const PROFILE_NAMES: Record<EncoderProfile, H264ProfileName> = { 'encoder-default': 'none', baseline: 'baseline', main: 'main', high: 'high', 'constrained-high': 'constrained-high' };

const INT32_MAX = 2 ** 31 - 1;

function int32(value: number, what: string, profile: string, min = 0): number {
  if (!Number.isInteger(value) || value < min || value > INT32_MAX) {
    throw errors.transcode.PROFILE_INVALID.create(`profile ${profile}: ${what} ${value} is not an integer from ${min} to ${INT32_MAX}`, { details: { profile, field: what, value } });
  }
  return value;
}

/**
 * One lpx profile as go-livepeer's wire VideoProfile. A denominator of 1 goes
 * out as 0 (the same rate to every orchestrator): go-livepeer's presets carry
 * 0, and a non-zero one would push the whole ladder into fullProfiles3 and ask
 * for the fractional-fps capability bit.
 */
export function wireVideoProfile(profile: TranscodeProfile): VideoProfile {
  const codec = CODECS[profile.codec];
  const encoderProfile = ENCODER_PROFILES[profile.profile];
  if (codec === undefined) throw errors.transcode.PROFILE_INVALID.create(`profile ${profile.name}: unknown codec ${String(profile.codec)}`, { details: { profile: profile.name } });
  if (encoderProfile === undefined) throw errors.transcode.PROFILE_INVALID.create(`profile ${profile.name}: unknown encoder profile ${String(profile.profile)}`, { details: { profile: profile.name } });
  return {
    name: profile.name,
    width: int32(profile.width, 'width', profile.name, 1),
    height: int32(profile.height, 'height', profile.name, 1),
    bitrate: int32(profile.bitrate, 'bitrate', profile.name, 1),
    fps: int32(profile.fps, 'fps', profile.name),
    format: profile.format === 'mp4' ? VIDEO_FORMAT.MP4 : VIDEO_FORMAT.MPEGTS,
    fpsDen: profile.fpsDen === 1 ? 0 : int32(profile.fpsDen, 'fpsDen', profile.name),
    profile: encoderProfile,
    // Negative values are go-livepeer's markers (-1 = intra only) and travel as they are.
    gop: int32(profile.gopMs, 'gopMs', profile.name, -1),
    encoder: codec,
    colorDepth: 0,
    chromaFormat: 0,
    quality: int32(profile.quality, 'quality', profile.name),
  };
}

/** The capability bits go-livepeer's gateway attaches to a transcode job with these outputs. */
export function segmentJobCapabilities(profiles: readonly TranscodeProfile[]): LivepeerCapabilities {
  return jobCapabilitiesForTranscode({
    profiles: profiles.map((p) => {
      const wire = wireVideoProfile(p);
      return { format: p.format, encoder: CODEC_NAMES[p.codec], fpsDen: wire.fpsDen, profile: PROFILE_NAMES[p.profile], gop: wire.gop };
    }),
  });
}

/**
 * go-livepeer's field choice: all MPEG-TS with integer rates, default encoder
 * profiles and GOPs → fullProfiles (what the oldest orchestrators read); the
 * same but not all MPEG-TS → fullProfiles2; anything else → fullProfiles3.
 */
export function profileFields(profiles: readonly VideoProfile[]): Pick<SegData, 'fullProfiles' | 'fullProfiles2' | 'fullProfiles3'> {
  const plain = profiles.every((p) => p.fpsDen === 0 && p.profile === VIDEO_PROFILE.ENCODER_DEFAULT && p.gop === 0);
  const allTs = profiles.every((p) => p.format === VIDEO_FORMAT.MPEGTS);
  if (!plain) return { fullProfiles: [], fullProfiles2: [], fullProfiles3: profiles };
  return allTs ? { fullProfiles: profiles, fullProfiles2: [], fullProfiles3: [] } : { fullProfiles: [], fullProfiles2: profiles, fullProfiles3: [] };
}

export interface SegmentHeaderInput {
  readonly manifestId: string;
  readonly seq: bigint;
  readonly data: Uint8Array;
  /** As sent in SegData (ms); 0 = unknown. */
  readonly durationMs: number;
  readonly profiles: readonly TranscodeProfile[];
  readonly authToken: AuthToken | undefined;
  readonly signer: PersonalSigner;
}

/** Deprecated field 4 as go-livepeer gateways fill it. */
export const INVALID_PROFILES_MARKER = new TextEncoder().encode('invalid');

export async function buildSegData(input: SegmentHeaderInput): Promise<SegData> {
  const wire = input.profiles.map(wireVideoProfile);
  const hash = keccak256(input.data);
  const sig = await signSegment(input.signer, { manifestId: input.manifestId, seq: input.seq, hash, profileNames: wire.map((p) => p.name) });
  return {
    ...emptySegData(),
    manifestId: input.manifestId,
    seq: input.seq,
    hash,
    profiles: INVALID_PROFILES_MARKER,
    sig,
    duration: Math.round(input.durationMs),
    capabilities: segmentJobCapabilities(input.profiles),
    ...(input.authToken !== undefined ? { authToken: input.authToken } : {}),
    ...profileFields(wire),
  };
}

/** The Livepeer-Segment header value. */
export async function segmentHeader(input: SegmentHeaderInput): Promise<string> {
  return encodeSegDataHeader(await buildSegData(input));
}
