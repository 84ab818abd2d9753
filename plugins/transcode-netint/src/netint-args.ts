import type { TranscodeProfile, VideoCodec } from '@lpx/sdk';
import type { NetintFamily } from './netint-family.js';

export interface NetintCommand {
  readonly family: NetintFamily;
  readonly input: string;
  /** The source codec, which picks the Netint decoder. */
  readonly sourceCodec: VideoCodec;
  /** The device index the whole segment runs on: decode, scale and every encode. */
  readonly device: string;
  readonly profiles: readonly TranscodeProfile[];
  /** One output path per profile, same order. */
  readonly outputs: readonly string[];
}

/** Netint's H.264 `profile` values in xcoder-params. */
const H264_PROFILE: Readonly<Record<string, string>> = { baseline: '1', main: '2', high: '4', 'constrained-high': '4' };

/**
 * Decode once on the card, split, then per rendition: rate and scale. Quadra
 * keeps frames on the card (`ni_quadra_split` needs at least two outputs, so a
 * one-rendition ladder has no split); Logan scales on the CPU with `scale`.
 */
export function filterGraph(family: NetintFamily, profiles: readonly TranscodeProfile[]): string {
  const chain = (p: TranscodeProfile, i: number, from: string): string => {
    const rate = p.fps > 0 ? [`fps=${p.fps}/${p.fpsDen}`] : [];
    return `${from}${[...rate, `${family.scaler}=w=${p.width}:h=${p.height}`].join(',')}[v${i}]`;
  };
  if (profiles.length === 1) return chain(profiles[0]!, 0, '[0:v:0]');
  const count = family.name === 'quadra' ? `output0=${profiles.length}` : String(profiles.length);
  const split = `[0:v:0]${family.splitter}=${count}${profiles.map((_, i) => `[s${i}]`).join('')}`;
  return [split, ...profiles.map((p, i) => chain(p, i, `[s${i}]`))].join(';');
}

/**
 * The encoder's `-xcoder-params`: rate control, GOP and profile. gopPresetIdx
 * 1 is all-intra and 2 is I/P only, which is what lpms asks of Netint for
 * profiles that allow no B-frames.
 */
export function xcoderParams(p: TranscodeProfile): string {
  const params: string[] = [];
  if (p.quality > 0) params.push(`crf=${Math.min(51, p.quality)}`);
  else params.push('RcEnable=1');
  if (p.gopMs === -1) params.push('gopPresetIdx=1');
  else if (p.profile === 'baseline' || p.profile === 'constrained-high') params.push('gopPresetIdx=2');
  if (p.gopMs > 0 && p.fps > 0) params.push(`intraPeriod=${Math.max(1, Math.floor((p.gopMs / 1000) * (p.fps / p.fpsDen)))}`);
  if (p.codec === 'H264' && p.profile !== 'encoder-default') params.push(`profile=${H264_PROFILE[p.profile]}`);
  return params.join(':');
}

function outputArgs(command: NetintCommand, p: TranscodeProfile, i: number): string[] {
  const args = ['-map', `[v${i}]`, '-map', '0:a?', '-c:v', command.family.encoders[p.codec]!, '-enc', command.device];
  if (p.bitrate > 0) args.push('-b:v', String(p.bitrate));
  args.push('-xcoder-params', xcoderParams(p));
  // Passthrough rate has no frame count to put a GOP in: force key frames by time instead.
  if (p.gopMs > 0 && p.fps === 0) args.push('-force_key_frames', `expr:gte(t,n_forced*${p.gopMs / 1000})`);
  // Audio is copied into every rendition, as go-livepeer does.
  args.push('-c:a', 'copy');
  const output = command.outputs[i]!;
  // No mux delay: with -copyts a TS rendition keeps the source's timestamps exactly (one HLS timeline across segments).
  args.push(...(p.format === 'mp4' ? ['-f', 'mp4', '-movflags', 'faststart', output] : ['-muxdelay', '0', '-muxpreload', '0', '-f', 'mpegts', output]));
  return args;
}

/** The whole ffmpeg command line (without the binary) for one segment on one Netint device. */
export function netintTranscodeArgs(command: NetintCommand): string[] {
  const decoder = command.family.decoders[command.sourceCodec]!;
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-c:v', decoder, '-dec', command.device];
  if (command.family.hwFrames) args.push('-xcoder-params', 'out=hw');
  // Renditions keep the source's timeline, like the ffmpeg backend's: segments of a stream may go to either.
  args.push('-copyts', '-i', command.input, '-filter_complex', filterGraph(command.family, command.profiles));
  for (const [i, p] of command.profiles.entries()) args.push(...outputArgs(command, p, i));
  return args;
}

/** One synthetic frame through the encoder on one device: it fails where a segment would (no card, resource manager not initialised). */
export function netintTestEncodeArgs(encoder: string, device: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'testsrc=size=256x144:rate=30',
    '-frames:v', '1',
    '-pix_fmt', 'yuv420p',
    '-c:v', encoder, '-enc', device,
    '-f', 'null', '-',
  ];
}
