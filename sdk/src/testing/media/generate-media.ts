import { runTool, type MediaTools } from './run-tool.js';

export interface TestMediaOptions extends MediaTools {
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  readonly durationMs?: number;
  /** Default true; false gives an audio-only file (a bad-input case for video backends). */
  readonly video?: boolean;
  /** Default true. */
  readonly audio?: boolean;
  readonly format?: 'mpegts' | 'mp4';
}

/**
 * Writes a synthetic segment with ffmpeg's lavfi sources (testsrc2 picture,
 * sine tone), encoded as H.264 + AAC with a keyframe every second, so tests
 * generate their media instead of committing binaries. Defaults: 640x360,
 * 30 fps, 2 s, MPEG-TS — a go-livepeer-sized segment that encodes fast.
 */
export async function generateTestMedia(path: string, options: TestMediaOptions = {}): Promise<void> {
  const { width = 640, height = 360, fps = 30, durationMs = 2000, video = true, audio = true, format = 'mpegts' } = options;
  if (!video && !audio) throw new Error('generateTestMedia needs video, audio or both');
  const seconds = (durationMs / 1000).toFixed(3);
  const args = ['-hide_banner', '-loglevel', 'error', '-y'];
  if (video) args.push('-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`);
  if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`);
  if (video) {
    args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(fps), '-keyint_min', String(fps), '-sc_threshold', '0');
  }
  if (audio) args.push('-c:a', 'aac', '-b:a', '64k');
  args.push('-f', format);
  if (format === 'mp4') args.push('-movflags', '+faststart');
  args.push(path);
  await runTool(options.ffmpegPath ?? 'ffmpeg', args);
}
