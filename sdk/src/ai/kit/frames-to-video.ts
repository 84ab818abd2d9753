import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from '../../errors/catalogue.js';
import { runProcess } from '../../transcode/kit/run-process.js';
import { stderrReason } from '../../transcode/kit/stderr-reason.js';
import { decodeDataUrl } from './data-url.js';

export interface FramesToVideoOptions {
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  /** go-livepeer encodes at 6000k. */
  readonly bitrate?: string;
  readonly ffmpegPath?: string;
  readonly signal: AbortSignal;
}

/**
 * image-to-video runners answer with frames (PNG data URLs); go-livepeer's
 * orchestrator encodes them into one H.264 MP4 at the request's size and
 * rate on the CPU, and so do we: numbered PNGs in a temp dir, one ffmpeg run,
 * the MP4's bytes back. The dir is removed whatever happens.
 */
export async function framesToMp4(frames: readonly unknown[], options: FramesToVideoOptions): Promise<Uint8Array> {
  if (frames.length === 0) throw errors.ai.RESULT_INVALID.create('image-to-video runner returned no frames');
  const dir = await mkdtemp(join(tmpdir(), 'lpx-i2v-'));
  try {
    for (const [i, frame] of frames.entries()) {
      const url = (frame as { url?: unknown } | null)?.url;
      await writeFile(join(dir, `${i}.png`), decodeDataUrl(url, `frames[0][${i}].url`).data);
    }
    const out = join(dir, 'out.mp4');
    const args = [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-framerate', String(options.fps), '-start_number', '0', '-i', join(dir, '%d.png'),
      '-vf', `scale=${options.width}:${options.height}`,
      '-c:v', 'libx264', '-b:v', options.bitrate ?? '6000k', '-pix_fmt', 'yuv420p',
      '-movflags', '+faststart', '-f', 'mp4', out,
    ];
    const result = await runProcess(options.ffmpegPath ?? 'ffmpeg', args, { signal: options.signal });
    if (result.aborted) throw errors.ai.CANCELLED.create('image-to-video request cancelled while encoding frames');
    if (result.notFound) throw errors.ai.RUNNER_FAILED.create(`image-to-video: ffmpeg not found (${options.ffmpegPath ?? 'ffmpeg'}) to encode the frames`);
    if (result.code !== 0) {
      throw errors.ai.RESULT_INVALID.create(`image-to-video: the runner's frames did not encode: ${stderrReason(result.stderr) ?? `exit ${String(result.code)}`}`);
    }
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
