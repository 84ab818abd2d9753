import type { TranscodeProfile, VideoCodec } from '@lpx/sdk';
import type { EncoderSizeLimits } from '@lpx/sdk/transcode-kit';

export const NVENC_ENCODERS: Readonly<Partial<Record<VideoCodec, string>>> = Object.freeze({ H264: 'h264_nvenc', HEVC: 'hevc_nvenc' });

/** lpms' NVENC (7th generation) coding size limits: outside them the encoder refuses to open. */
export const NVENC_LIMITS: EncoderSizeLimits = Object.freeze({
  H264: { minWidth: 146, minHeight: 50, maxWidth: 4096, maxHeight: 4096 },
  HEVC: { minWidth: 132, minHeight: 40, maxWidth: 8192, maxHeight: 8192 },
});

export interface NvencCommand {
  readonly input: string;
  /** The GPU index the whole segment runs on: decode, scale and every encode. */
  readonly gpu: string;
  readonly profiles: readonly TranscodeProfile[];
  /** One output path per profile, same order. */
  readonly outputs: readonly string[];
}

/** `fps=30/1` when the profile sets a rate; nothing for passthrough. */
function rateFilter(p: TranscodeProfile): string[] {
  return p.fps > 0 ? [`fps=${p.fps}/${p.fpsDen}`] : [];
}

/**
 * Decode once on the GPU, split the CUDA frames, then per rendition: rate,
 * `scale_cuda`, NVENC. Frames never leave the GPU (`-hwaccel_output_format
 * cuda`), which is what makes one process per segment cheap.
 */
export function filterGraph(profiles: readonly TranscodeProfile[], scaler: string): string {
  const chain = (p: TranscodeProfile, i: number, from: string): string =>
    `${from}${[...rateFilter(p), `${scaler}=w=${p.width}:h=${p.height}`].join(',')}[v${i}]`;
  if (profiles.length === 1) return chain(profiles[0]!, 0, '[0:v:0]');
  const split = `[0:v:0]split=${profiles.length}${profiles.map((_, i) => `[s${i}]`).join('')}`;
  return [split, ...profiles.map((p, i) => chain(p, i, `[s${i}]`))].join(';');
}

/** lpms' NVENC settings for one rendition: bitrate or CQ (CRF + 7), GOP in frames (0 = intra only), profile and B-frames. */
export function nvencOutputArgs(p: TranscodeProfile): string[] {
  const args = ['-c:v', NVENC_ENCODERS[p.codec] ?? 'h264_nvenc'];
  if (p.quality > 0) {
    args.push('-rc', 'vbr', '-cq', String(Math.min(51, p.quality + 7)), '-b:v', '0');
    if (p.bitrate > 0) args.push('-maxrate', String(p.bitrate), '-bufsize', String(p.bitrate));
  } else {
    args.push('-b:v', String(p.bitrate));
  }
  if (p.gopMs === -1) {
    args.push('-g', '0');
  } else if (p.gopMs > 0) {
    if (p.fps > 0) args.push('-g', String(Math.max(1, Math.floor((p.gopMs / 1000) * (p.fps / p.fpsDen)))));
    else args.push('-force_key_frames', `expr:gte(t,n_forced*${p.gopMs / 1000})`, '-forced-idr', '1');
  }
  if (p.codec === 'H264' && p.profile !== 'encoder-default') args.push('-profile:v', p.profile === 'constrained-high' ? 'high' : p.profile);
  // NVENC mis-computes DTS with B-frames on passthrough timestamps, so lpms turns them off there and by default.
  const bFrames = (p.profile === 'main' || p.profile === 'high') && p.fps > 0 ? '3' : '0';
  args.push('-bf', bFrames);
  return args;
}

function muxerArgs(p: TranscodeProfile, output: string): string[] {
  // No mux delay: with -copyts a TS rendition keeps the source's timestamps exactly (one HLS timeline across segments).
  return p.format === 'mp4' ? ['-f', 'mp4', '-movflags', 'faststart', output] : ['-muxdelay', '0', '-muxpreload', '0', '-f', 'mpegts', output];
}

/** The whole ffmpeg command line (without the binary) for one segment on one GPU. */
export function nvencTranscodeArgs(command: NvencCommand): string[] {
  const args = [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
    '-hwaccel', 'cuda', '-hwaccel_output_format', 'cuda', '-hwaccel_device', command.gpu,
    // Renditions keep the source's timeline, like the ffmpeg backend's: segments of a stream may go to either.
    '-copyts',
    '-i', command.input,
    '-filter_complex', filterGraph(command.profiles, 'scale_cuda'),
  ];
  for (const [i, p] of command.profiles.entries()) {
    // Audio is copied into every rendition, as go-livepeer does.
    args.push('-map', `[v${i}]`, '-map', '0:a?', ...nvencOutputArgs(p), '-c:a', 'copy', ...muxerArgs(p, command.outputs[i]!));
  }
  return args;
}

/**
 * One synthetic frame through the same device path a segment takes: a CUDA
 * device on `gpu`, upload, `scale_cuda`, the encoder. It fails exactly where
 * a real segment would (no driver, wrong index, encoder session limit).
 */
export function nvencTestEncodeArgs(gpu: string, encoder: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-init_hw_device', `cuda=gpu:${gpu}`, '-filter_hw_device', 'gpu',
    '-f', 'lavfi', '-i', 'testsrc=size=256x144:rate=30',
    '-frames:v', '1',
    '-vf', 'format=nv12,hwupload_cuda,scale_cuda=w=192:h=108',
    '-c:v', encoder,
    '-f', 'null', '-',
  ];
}
