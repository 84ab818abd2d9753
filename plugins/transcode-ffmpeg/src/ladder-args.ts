import { join } from 'node:path';
import type { TranscodeProfile } from '@lpx/sdk';
import type { FfmpegJob } from './ffmpeg-runner.js';

export interface LadderOptions {
  /** x264/x265 preset (`veryfast` by default in the config). */
  readonly preset: string;
  /** Encoder threads per rendition; 0 lets ffmpeg decide. */
  readonly threads: number;
  /** The source's frame rate as [num, den]: fps-0 (passthrough) renditions derive their GOP from it. */
  readonly sourceFps: readonly [number, number];
  /** ffprobe's name for the source's first audio codec (`aac`...), undefined when it has none. */
  readonly sourceAudioCodec?: string | undefined;
}

export interface LadderJob {
  readonly job: FfmpegJob;
  /** Output paths, in profile order. */
  readonly paths: readonly string[];
}

const ENCODERS = { H264: 'libx264', HEVC: 'libx265' } as const;

/** libx264's -profile:v; constrained-high is High without B-frames (see encoderArgs). */
const H264_PROFILES = { baseline: 'baseline', main: 'main', high: 'high', 'constrained-high': 'high' } as const;

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/** Frames per keyframe interval; undefined leaves the encoder default. */
export function gopFrames(profile: TranscodeProfile, sourceFps: readonly [number, number]): number | undefined {
  if (profile.gopMs === -1) return 1;
  if (profile.gopMs <= 0) return undefined;
  const [num, den] = profile.fps === 0 ? sourceFps : [profile.fps, Math.max(1, profile.fpsDen)];
  return Math.max(1, Math.round((profile.gopMs * num) / (den * 1000)));
}

/** The per-branch filter chain: rate first (fewer frames to scale), then size, then a pixel format every H.264 profile accepts. */
export function branchFilter(profile: TranscodeProfile): string {
  const steps: string[] = [];
  if (profile.fps > 0) steps.push(`fps=fps=${profile.fps}/${Math.max(1, profile.fpsDen)}`);
  steps.push(`scale=${profile.width}:${profile.height}`, 'format=yuv420p');
  return steps.join(',');
}

function encoderArgs(profile: TranscodeProfile, options: LadderOptions): string[] {
  const args = ['-c:v', ENCODERS[profile.codec as keyof typeof ENCODERS], '-preset', options.preset];
  if (profile.codec === 'H264' && profile.profile !== 'encoder-default') {
    args.push('-profile:v', H264_PROFILES[profile.profile]);
    // Constrained High is High with no B-frames; libx264 has no profile of that name.
    if (profile.profile === 'constrained-high') args.push('-bf', '0');
  }
  if (profile.codec === 'HEVC') args.push('-x265-params', 'log-level=error');
  if (profile.quality > 0) {
    args.push('-crf', String(profile.quality));
    if (profile.bitrate > 0) args.push('-maxrate', String(profile.bitrate), '-bufsize', String(profile.bitrate * 2));
  } else {
    args.push('-b:v', String(profile.bitrate), '-maxrate', String(profile.bitrate), '-bufsize', String(profile.bitrate * 2));
  }
  const gop = gopFrames(profile, options.sourceFps);
  if (gop !== undefined) args.push('-g', String(gop), '-keyint_min', String(gop));
  if (options.threads > 0) args.push('-threads', String(options.threads));
  return args;
}

function muxerArgs(profile: TranscodeProfile, options: LadderOptions): string[] {
  if (profile.format === 'mp4') {
    return [
      ...(profile.codec === 'HEVC' ? ['-tag:v', 'hvc1'] : []),
      // AAC copied out of MPEG-TS is ADTS-framed; MP4 wants the raw stream (a no-op on AAC that already is).
      ...(options.sourceAudioCodec === 'aac' ? ['-bsf:a', 'aac_adtstoasc'] : []),
      // Fragmented: a segment-sized MP4 that can be streamed as it is written, no second pass to move the moov.
      '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof',
    ];
  }
  // No mux delay: with -copyts the rendition keeps the source's timestamps exactly.
  return ['-muxdelay', '0', '-muxpreload', '0', '-f', 'mpegts'];
}

/**
 * One ffmpeg process for the whole ladder: the source is decoded once, split
 * into one branch per rendition (fps, scale), and each branch is encoded to
 * its own output. Audio is copied through untouched, as go-livepeer does.
 * `-copyts` keeps the source's timestamps in TS renditions, so consecutive
 * segments of a rendition play as one timeline in an HLS playlist (ffmpeg
 * would otherwise restart every segment at 1.4 s).
 * Profiles must already be validated.
 */
export function buildLadderJob(input: string, profiles: readonly TranscodeProfile[], outputDir: string, options: LadderOptions): LadderJob {
  const labels = profiles.map((_, i) => `s${i}`);
  const split = `[0:v:0]split=${profiles.length}${labels.map((l) => `[${l}]`).join('')}`;
  const branches = profiles.map((p, i) => `[s${i}]${branchFilter(p)}[v${i}]`);
  const paths = profiles.map((p, i) => join(outputDir, `${i}-${safeName(p.name)}.${p.format === 'mp4' ? 'mp4' : 'ts'}`));
  const outputs = profiles.map((p, i) => ({
    path: paths[i]!,
    options: ['-map', `[v${i}]`, '-map', '0:a:0?', ...encoderArgs(p, options), '-c:a', 'copy', ...muxerArgs(p, options)],
  }));
  return { job: { input, inputOptions: ['-copyts'], complexFilter: [split, ...branches].join(';'), outputs }, paths };
}
