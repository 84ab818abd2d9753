import type { TranscodeBackendStatus, VideoCodec } from '@lpx/sdk';
import type { FfmpegRunner } from './ffmpeg-runner.js';

/** Encoder per codec this backend drives; HEVC only counts when ffmpeg lists libx265 and it test-encodes. */
const ENCODERS: readonly (readonly [VideoCodec, string])[] = [['H264', 'libx264'], ['HEVC', 'libx265']];
const DECODERS: readonly (readonly [VideoCodec, string])[] = [['H264', 'h264'], ['HEVC', 'hevc'], ['VP8', 'vp8'], ['VP9', 'vp9']];

function unavailable(reason: string): TranscodeBackendStatus {
  return { available: false, reason, capacity: 0, decode: [], encode: [], formats: [] };
}

/** Names from `ffmpeg -encoders` / `-decoders`: lines like ` V....D libx264  libx264 H.264 ...`. */
export function listedCodecs(listing: string): Set<string> {
  const names = new Set<string>();
  for (const line of listing.split('\n')) {
    const match = /^\s*[VAS][A-Z.]{5}\s+(\S+)/.exec(line);
    if (match?.[1] !== undefined && match[1] !== '=') names.add(match[1]);
  }
  return names;
}

/** The smallest real job: one 146x146 frame (go-livepeer's test size) through the encoder, discarded. */
function testEncodeArgs(encoder: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'color=c=black:size=146x146:rate=30',
    '-frames:v', '1', '-c:v', encoder, '-preset', 'ultrafast',
    ...(encoder === 'libx265' ? ['-x265-params', 'log-level=error'] : []),
    '-f', 'null', '-',
  ];
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

/**
 * The ffmpeg binary runs, lists libx264, a one-frame libx264 encode succeeds,
 * and ffprobe runs (input validation needs it). Any miss is `available:
 * false` with the reason; nothing here throws.
 */
export async function probeFfmpeg(runner: FfmpegRunner, capacity: number, signal: AbortSignal): Promise<TranscodeBackendStatus> {
  if (signal.aborted) return unavailable('probe aborted before it ran');
  // A killed step would read as a failed ffmpeg: an abort ends the probe as "aborted" instead.
  const exec = async (...args: Parameters<FfmpegRunner['exec']>): ReturnType<FfmpegRunner['exec']> => {
    const result = await runner.exec(...args);
    if (signal.aborted) throw new Error('probe aborted');
    return result;
  };
  try {
    const encoders = await exec('ffmpeg', ['-hide_banner', '-encoders'], signal);
    if (encoders.code !== 0) return unavailable(`${runner.ffmpegPath} -encoders failed (exit ${encoders.code ?? encoders.signal}): ${lastLine(encoders.stderr)}`);
    const listed = listedCodecs(encoders.stdout);
    if (!listed.has('libx264')) return unavailable(`libx264 not listed by ${runner.ffmpegPath} -encoders`);

    const encode: VideoCodec[] = [];
    for (const [codec, encoder] of ENCODERS) {
      if (!listed.has(encoder)) continue;
      const test = await exec('ffmpeg', testEncodeArgs(encoder), signal);
      if (test.code === 0) encode.push(codec);
      else if (codec === 'H264') return unavailable(`test encode with libx264 failed (exit ${test.code ?? test.signal}): ${lastLine(test.stderr)}`);
    }
    const decoders = await exec('ffmpeg', ['-hide_banner', '-decoders'], signal);
    const decodable = listedCodecs(decoders.stdout);
    const decode = DECODERS.filter(([, name]) => decodable.has(name)).map(([codec]) => codec);

    const ffprobe = await exec('ffprobe', ['-version'], signal).catch((error: Error) => {
      if (signal.aborted) throw error;
      return { code: null, signal: null, stdout: '', stderr: error.message };
    });
    if (ffprobe.code !== 0) return unavailable(`ffprobe not runnable at ${runner.ffprobePath} (input validation needs it): ${lastLine(ffprobe.stderr)}`);
    return { available: true, capacity, decode, encode, formats: ['mpegts', 'mp4'] };
  } catch (error) {
    if (signal.aborted) return unavailable('probe aborted');
    const code = (error as NodeJS.ErrnoException).code;
    return unavailable(code === 'ENOENT' ? `ffmpeg not found: ${runner.ffmpegPath}` : `ffmpeg probe failed: ${(error as Error).message}`);
  }
}
