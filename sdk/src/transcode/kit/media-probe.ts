import { stat } from 'node:fs/promises';
import { transcodeErrors } from '../../errors/codes/transcode.js';
import type { Rendition, TranscodeInput } from '../../extension-points/transcode-backends.js';
import type { TranscodeProfile } from '../profiles.js';
import { runProcess } from './run-process.js';
import { stderrReason } from './stderr-reason.js';

export interface SourceVideo {
  /** ffprobe's codec name (`h264`, `hevc`): the backend decides what its decoder takes. */
  readonly codecName: string;
  readonly pixFmt: string;
  readonly width: number;
  readonly height: number;
  /** Video packets (one per frame for H.264/HEVC): counted without decoding a 1080p source twice. */
  readonly frames: number;
}

export interface RenditionVideo {
  readonly width: number;
  readonly height: number;
  /** Decoded frames, as go-livepeer's pixel verification counts them. */
  readonly frames: number;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  nb_read_packets?: string;
  nb_read_frames?: string;
}

async function ffprobe(ffprobePath: string, args: string[], signal: AbortSignal): Promise<{ streams: FfprobeStream[] } | { error: string; aborted: boolean }> {
  const result = await runProcess(ffprobePath, ['-v', 'error', ...args, '-of', 'json'], { signal });
  if (result.aborted) return { error: 'aborted', aborted: true };
  if (result.notFound) return { error: `${ffprobePath} not found`, aborted: false };
  if (result.code !== 0) return { error: stderrReason(result.stderr), aborted: false };
  try {
    return { streams: (JSON.parse(result.stdout) as { streams?: FfprobeStream[] }).streams ?? [] };
  } catch {
    return { error: 'ffprobe printed no JSON', aborted: false };
  }
}

const cancelled = (): Error => transcodeErrors.CANCELLED.create('the task was aborted');

/**
 * Validates the source segment (exists, not empty, readable, has video
 * frames) and reads what a device path needs to know about it, before a
 * device is taken. Throws INPUT_INVALID or CANCELLED; codec and pixel-format
 * rules are the backend's, applied to what this returns.
 */
export async function probeSource(ffprobePath: string, input: TranscodeInput, signal: AbortSignal): Promise<SourceVideo> {
  const size = await stat(input.path).then((s) => s.size, () => -1);
  if (size < 0) throw transcodeErrors.INPUT_INVALID.create(`the source segment ${input.path} does not exist`);
  if (size === 0) throw transcodeErrors.INPUT_INVALID.create('the source segment is empty (0 bytes)');
  const probed = await ffprobe(ffprobePath, ['-count_packets', '-show_entries', 'stream=codec_type,codec_name,pix_fmt,width,height,nb_read_packets', input.path], signal);
  if ('error' in probed) {
    if (probed.aborted) throw cancelled();
    throw transcodeErrors.INPUT_INVALID.create(`the source segment cannot be read: ${probed.error}`);
  }
  const video = probed.streams.find((s) => s.codec_type === 'video');
  if (video === undefined) throw transcodeErrors.INPUT_INVALID.create('the source segment has no video stream');
  const frames = Number(video.nb_read_packets ?? 0);
  if (!(frames > 0) || !video.width || !video.height) throw transcodeErrors.INPUT_INVALID.create('the source segment has a video stream without frames');
  return { codecName: video.codec_name ?? '', pixFmt: video.pix_fmt ?? '', width: video.width, height: video.height, frames };
}

/** Reads a rendition back as a verifier would (decoding it). Throws RESULT_INVALID or CANCELLED. */
export async function probeRendition(ffprobePath: string, path: string, signal: AbortSignal): Promise<RenditionVideo> {
  const probed = await ffprobe(ffprobePath, ['-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_read_frames', path], signal);
  if ('error' in probed) {
    if (probed.aborted) throw cancelled();
    throw transcodeErrors.RESULT_INVALID.create(`rendition ${path} cannot be read back: ${probed.error}`);
  }
  const video = probed.streams[0];
  const frames = Number(video?.nb_read_frames ?? 0);
  if (video === undefined || !(frames > 0)) throw transcodeErrors.RESULT_INVALID.create(`rendition ${path} has no video frames`);
  return { width: video.width ?? 0, height: video.height ?? 0, frames };
}

/**
 * Every rendition read back, in ladder order, with its pixels counted from
 * decoded frames (what the verifier and the payment both count): a size other
 * than the profile's is RESULT_INVALID, not a rendition to pay for.
 */
export async function readRenditions(ffprobePath: string, profiles: readonly TranscodeProfile[], paths: readonly string[], signal: AbortSignal): Promise<Rendition[]> {
  const renditions: Rendition[] = [];
  for (const [i, profile] of profiles.entries()) {
    const path = paths[i]!;
    const video = await probeRendition(ffprobePath, path, signal);
    if (video.width !== profile.width || video.height !== profile.height) {
      throw transcodeErrors.RESULT_INVALID.create(`rendition ${profile.name} is ${video.width}x${video.height}, the profile asks for ${profile.width}x${profile.height}`);
    }
    renditions.push({ profile: profile.name, path, width: video.width, height: video.height, frames: video.frames, pixels: BigInt(video.width) * BigInt(video.height) * BigInt(video.frames) });
  }
  return renditions;
}

/** A file name per rendition that is safe whatever the profile is called, unique by ladder index, with the container's extension. */
export function renditionFileName(profile: TranscodeProfile, index: number): string {
  const safe = profile.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return `${index}-${safe}.${profile.format === 'mp4' ? 'mp4' : 'ts'}`;
}
