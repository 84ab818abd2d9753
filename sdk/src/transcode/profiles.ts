/**
 * Output profiles for video transcoding, in lpx's own words: what a gateway
 * asks for and what a transcode backend produces. The kernel converts them
 * to and from go-livepeer's wire `VideoProfile` (numeric enums, gop in ms);
 * plugins only ever see this shape.
 */

export type VideoCodec = 'H264' | 'HEVC' | 'VP8' | 'VP9';
/** The H.264 encoder profile; `encoder-default` lets the encoder choose. */
export type EncoderProfile = 'encoder-default' | 'baseline' | 'main' | 'high' | 'constrained-high';
export type OutputFormat = 'mpegts' | 'mp4';

export interface TranscodeProfile {
  /** Unique within a ladder; renditions, playlists and the segment signature are keyed by it. */
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Bits per second. */
  readonly bitrate: number;
  /** Frames per second as fps / fpsDen; fps 0 keeps the source rate (passthrough). */
  readonly fps: number;
  readonly fpsDen: number;
  /** Keyframe interval in ms; 0 = encoder default, -1 = every frame (go-livepeer's "intra"). */
  readonly gopMs: number;
  readonly codec: VideoCodec;
  readonly profile: EncoderProfile;
  readonly format: OutputFormat;
  /** CRF / CQ; 0 = none (bitrate-driven). With a quality, bitrate is a cap. */
  readonly quality: number;
}

type Preset = Pick<TranscodeProfile, 'width' | 'height' | 'bitrate' | 'fps'>;

/** go-livepeer's (lpms) preset table, by name. `P144p25fps16x9` is deliberately absent, as in lpms' lookup. */
export const VIDEO_PRESETS: Readonly<Record<string, Preset>> = Object.freeze({
  P720p60fps16x9: { width: 1280, height: 720, bitrate: 6_000_000, fps: 60 },
  P720p30fps16x9: { width: 1280, height: 720, bitrate: 4_000_000, fps: 30 },
  P720p25fps16x9: { width: 1280, height: 720, bitrate: 3_500_000, fps: 25 },
  P720p30fps4x3: { width: 960, height: 720, bitrate: 3_500_000, fps: 30 },
  P576p30fps16x9: { width: 1024, height: 576, bitrate: 1_500_000, fps: 30 },
  P576p25fps16x9: { width: 1024, height: 576, bitrate: 1_500_000, fps: 25 },
  P360p30fps16x9: { width: 640, height: 360, bitrate: 1_200_000, fps: 30 },
  P360p25fps16x9: { width: 640, height: 360, bitrate: 1_000_000, fps: 25 },
  P360p30fps4x3: { width: 480, height: 360, bitrate: 1_000_000, fps: 30 },
  P240p30fps16x9: { width: 426, height: 240, bitrate: 600_000, fps: 30 },
  P240p25fps16x9: { width: 426, height: 240, bitrate: 600_000, fps: 25 },
  P240p30fps4x3: { width: 320, height: 240, bitrate: 600_000, fps: 30 },
  P144p30fps16x9: { width: 256, height: 144, bitrate: 400_000, fps: 30 },
});

/** go-livepeer's `-transcodingOptions` default. */
export const DEFAULT_LADDER: readonly string[] = Object.freeze(['P240p30fps16x9', 'P360p30fps16x9']);

/** A preset as a full profile with go-livepeer's preset defaults (TS, H.264, encoder-default profile and GOP). */
export function presetProfile(name: string): TranscodeProfile | undefined {
  const preset = Object.prototype.hasOwnProperty.call(VIDEO_PRESETS, name) ? VIDEO_PRESETS[name] : undefined;
  if (preset === undefined) return undefined;
  return { name, ...preset, fpsDen: 1, gopMs: 0, codec: 'H264', profile: 'encoder-default', format: 'mpegts', quality: 0 };
}

/** Pixels one rendition of `durationMs` would hold at its nominal rate (fps 0 counted as 60, as go-livepeer's fee estimate does). */
export function nominalPixels(profile: Pick<TranscodeProfile, 'width' | 'height' | 'fps' | 'fpsDen'>, durationMs: number): bigint {
  const fps = profile.fps === 0 ? 60 : Math.ceil(profile.fps / Math.max(1, profile.fpsDen));
  return BigInt(profile.width) * BigInt(profile.height) * BigInt(fps) * BigInt(Math.ceil(durationMs / 1000));
}
