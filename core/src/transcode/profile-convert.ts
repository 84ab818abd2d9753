/**
 * go-livepeer's wire `VideoProfile` (numeric enums, gop in ms) ⇄ the sdk's
 * `TranscodeProfile`: the only place the two shapes meet, so plugins never
 * see wire enums and the wire never sees our strings.
 */
import { errors, type EncoderProfile, type OutputFormat, type TranscodeProfile, type VideoCodec } from '@lpx/sdk';
import type { VideoProfile } from '../network/segment/seg-data-types.js';

const FORMATS: readonly OutputFormat[] = ['mpegts', 'mp4'];
const PROFILES: readonly EncoderProfile[] = ['encoder-default', 'baseline', 'main', 'high', 'constrained-high'];
const CODECS: readonly VideoCodec[] = ['H264', 'HEVC', 'VP8', 'VP9'];
/** lpms' intra-only GOP marker. */
const GOP_INTRA = -1;

function pick<T>(table: readonly T[], value: number, what: string, name: string): T {
  const found = Number.isInteger(value) ? table[value] : undefined;
  if (found === undefined) throw errors.transcode.PROFILE_INVALID.create(`profile ${name}: unknown ${what} ${value}`, { details: { profile: name, field: what, value } });
  return found;
}

/** A wire profile whose name is already resolved (resolveTranscodeProfiles) → the sdk's profile. */
export function fromWireProfile(wire: VideoProfile): TranscodeProfile {
  return {
    name: wire.name,
    width: wire.width,
    height: wire.height,
    bitrate: wire.bitrate,
    fps: wire.fps,
    fpsDen: wire.fpsDen > 0 ? wire.fpsDen : 1,
    gopMs: wire.gop < 0 ? GOP_INTRA : wire.gop,
    codec: pick(CODECS, wire.encoder, 'codec', wire.name),
    profile: pick(PROFILES, wire.profile, 'encoder profile', wire.name),
    format: pick(FORMATS, wire.format, 'format', wire.name),
    quality: wire.quality,
  };
}

export function toWireProfile(profile: TranscodeProfile): VideoProfile {
  return {
    name: profile.name,
    width: profile.width,
    height: profile.height,
    bitrate: profile.bitrate,
    fps: profile.fps,
    fpsDen: profile.fpsDen,
    gop: profile.gopMs,
    format: FORMATS.indexOf(profile.format),
    profile: PROFILES.indexOf(profile.profile),
    encoder: CODECS.indexOf(profile.codec),
    // lpx profiles are 8-bit 4:2:0, go-livepeer's defaults.
    colorDepth: 0,
    chromaFormat: 0,
    quality: profile.quality,
  };
}

/** Sizes a backend could never produce; odd sizes are the backend's call (encoders round them). */
export function checkProfiles(profiles: readonly TranscodeProfile[]): void {
  if (profiles.length === 0) throw errors.transcode.PROFILE_INVALID.create('a transcode job needs at least one output profile');
  const names = new Set<string>();
  for (const p of profiles) {
    if (names.has(p.name)) throw errors.transcode.PROFILE_INVALID.create(`two profiles are named ${p.name}`, { details: { profile: p.name } });
    names.add(p.name);
    for (const [field, value, max] of [['width', p.width, 8192], ['height', p.height, 8192]] as const) {
      if (!Number.isInteger(value) || value <= 0 || value > max) throw errors.transcode.PROFILE_INVALID.create(`profile ${p.name}: ${field} ${value} is not in 1..${max}`, { details: { profile: p.name, field, value } });
    }
    if (!Number.isFinite(p.bitrate) || p.bitrate < 0) throw errors.transcode.PROFILE_INVALID.create(`profile ${p.name}: bitrate ${p.bitrate} is negative`, { details: { profile: p.name } });
    if (!Number.isFinite(p.fps) || p.fps < 0) throw errors.transcode.PROFILE_INVALID.create(`profile ${p.name}: fps ${p.fps} is negative`, { details: { profile: p.name } });
  }
}
