import type { VideoCodec } from '../../transcode/profiles.js';
import { runTool, type MediaTools } from './run-tool.js';

export interface ProbedVideoStream {
  /** ffprobe's codec name (`h264`, `hevc`, ...). */
  readonly codecName: string;
  /** The same codec in the sdk's words, when it is one the sdk names. */
  readonly codec: VideoCodec | undefined;
  readonly width: number;
  readonly height: number;
  /** Frames decoded by ffprobe (`-count_frames`): what go-livepeer's pixel verification counts. */
  readonly frames: number;
}

export interface ProbedMedia {
  readonly formatName: string;
  readonly durationMs: number;
  readonly video: ProbedVideoStream | undefined;
  readonly audioCodecs: readonly string[];
}

const codecs: Readonly<Record<string, VideoCodec>> = { h264: 'H264', hevc: 'HEVC', vp8: 'VP8', vp9: 'VP9' };

interface FfprobeJson {
  streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number; nb_read_frames?: string }[];
  format?: { format_name?: string; duration?: string };
}

/** Reads a media file as a verifier would: decodes the first video stream to count its frames. */
export async function probeMedia(path: string, tools: MediaTools = {}): Promise<ProbedMedia> {
  const stdout = await runTool(tools.ffprobePath ?? 'ffprobe', [
    '-v', 'error', '-count_frames',
    '-show_entries', 'stream=codec_type,codec_name,width,height,nb_read_frames:format=format_name,duration',
    '-of', 'json', path,
  ]);
  const json = JSON.parse(stdout) as FfprobeJson;
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video');
  return {
    formatName: json.format?.format_name ?? '',
    durationMs: Math.round(Number(json.format?.duration ?? 0) * 1000),
    video: video === undefined ? undefined : {
      codecName: video.codec_name ?? '',
      codec: codecs[video.codec_name ?? ''],
      width: video.width ?? 0,
      height: video.height ?? 0,
      frames: Number(video.nb_read_frames ?? 0),
    },
    audioCodecs: streams.filter((s) => s.codec_type === 'audio').map((s) => s.codec_name ?? ''),
  };
}
