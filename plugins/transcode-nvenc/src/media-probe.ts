import { stat } from 'node:fs/promises';
import { errors, type TranscodeInput } from '@lpx/sdk';
import { runProcess } from './run-process.js';
import { stderrReason } from './stderr-reason.js';

export interface SourceVideo {
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

const cancelled = (): Error => errors.transcode.CANCELLED.create('the task was aborted');

/** Validates the source segment and reads what the hardware path needs to know about it. Throws INPUT_INVALID or CANCELLED. */
export async function probeSource(ffprobePath: string, input: TranscodeInput, signal: AbortSignal): Promise<SourceVideo> {
  const size = await stat(input.path).then((s) => s.size, () => -1);
  if (size < 0) throw errors.transcode.INPUT_INVALID.create(`the source segment ${input.path} does not exist`);
  if (size === 0) throw errors.transcode.INPUT_INVALID.create('the source segment is empty (0 bytes)');
  const probed = await ffprobe(ffprobePath, ['-count_packets', '-show_entries', 'stream=codec_type,codec_name,pix_fmt,width,height,nb_read_packets', input.path], signal);
  if ('error' in probed) {
    if (probed.aborted) throw cancelled();
    throw errors.transcode.INPUT_INVALID.create(`the source segment cannot be read: ${probed.error}`);
  }
  const video = probed.streams.find((s) => s.codec_type === 'video');
  if (video === undefined) throw errors.transcode.INPUT_INVALID.create('the source segment has no video stream');
  const frames = Number(video.nb_read_packets ?? 0);
  if (!(frames > 0) || !video.width || !video.height) throw errors.transcode.INPUT_INVALID.create('the source segment has a video stream without frames');
  return { codecName: video.codec_name ?? '', pixFmt: video.pix_fmt ?? '', width: video.width, height: video.height, frames };
}

/** Reads a rendition back as a verifier would (decoding it). Throws RESULT_INVALID or CANCELLED. */
export async function probeRendition(ffprobePath: string, path: string, signal: AbortSignal): Promise<RenditionVideo> {
  const probed = await ffprobe(ffprobePath, ['-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_read_frames', path], signal);
  if ('error' in probed) {
    if (probed.aborted) throw cancelled();
    throw errors.transcode.RESULT_INVALID.create(`rendition ${path} cannot be read back: ${probed.error}`);
  }
  const video = probed.streams[0];
  const frames = Number(video?.nb_read_frames ?? 0);
  if (video === undefined || !(frames > 0)) throw errors.transcode.RESULT_INVALID.create(`rendition ${path} has no video frames`);
  return { width: video.width ?? 0, height: video.height ?? 0, frames };
}
