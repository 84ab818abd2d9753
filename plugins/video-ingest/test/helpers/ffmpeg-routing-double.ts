/**
 * A test double of the gateway's routing (coreServices.gateway): instead of
 * paying an orchestrator over /segment it transcodes locally with the real
 * ffmpeg, one process per segment, so the renditions the ingest answers and
 * serves are real video at the asked sizes. It also counts calls, ends
 * streams, fails on demand and can hold a segment until released.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors, nominalPixels, type GatewayService, type SegmentTranscodeRequest, type TranscodedSegment } from '@lpx/sdk';

export class FfmpegRoutingDouble implements GatewayService {
  readonly enabled = true;
  readonly calls: SegmentTranscodeRequest[] = [];
  readonly ended: string[] = [];
  #failures: Error[] = [];
  readonly #holds = new Map<number | 'all', Promise<void>>();

  /** The next call fails with this error (after doing nothing). */
  failNext(error: Error): void {
    this.#failures.push(error);
  }

  /** Calls (for one seq, or all) wait until the returned release function runs. */
  hold(seq: number | 'all' = 'all'): () => void {
    let release!: () => void;
    this.#holds.set(seq, new Promise((resolve) => (release = resolve)));
    return () => {
      this.#holds.delete(seq);
      release();
    };
  }

  async transcodeSegment(request: SegmentTranscodeRequest): Promise<TranscodedSegment> {
    this.calls.push(request);
    const held = this.#holds.get(request.seq) ?? this.#holds.get('all');
    if (held) await held;
    const failure = this.#failures.shift();
    if (failure) throw failure;
    const dir = await mkdtemp(join(tmpdir(), 'lpx-ingest-double-'));
    try {
      const ext = request.format === 'mp4' ? 'mp4' : 'ts';
      await writeFile(join(dir, `in.${ext}`), request.data);
      const n = request.profiles.length;
      const filters = [`[0:v]split=${n}${request.profiles.map((_, i) => `[s${i}]`).join('')}`];
      const outputs: string[] = [];
      request.profiles.forEach((profile, i) => {
        filters.push(`[s${i}]scale=${profile.width}:${profile.height}${profile.fps > 0 ? `,fps=${profile.fps}/${profile.fpsDen}` : ''}[o${i}]`);
        outputs.push('-map', `[o${i}]`, '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', String(profile.bitrate), '-pix_fmt', 'yuv420p');
        if (request.format === 'mp4') outputs.push('-movflags', '+faststart');
        outputs.push('-f', request.format, join(dir, `out${i}.${ext}`));
      });
      try {
        await run(['-hide_banner', '-loglevel', 'error', '-y', '-i', join(dir, `in.${ext}`), '-filter_complex', filters.join(';'), ...outputs]);
      } catch (error) {
        throw errors.transcode.FAILED.create(`ffmpeg could not transcode ${request.streamId}/${request.seq}: ${(error as Error).message.split('\n').at(-1)}`, { cause: error });
      }
      const renditions = await Promise.all(
        request.profiles.map(async (profile, i) => ({ profile: profile.name, data: await readFile(join(dir, `out${i}.${ext}`)), pixels: nominalPixels(profile, request.durationMs || 2000) })),
      );
      return { seq: request.seq, orchestrator: 'https://ffmpeg-double.invalid', renditions, attempts: 1 };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async endStream(streamId: string): Promise<void> {
    this.ended.push(streamId);
  }

  /** Ingest never asks for AI work; a call would be a bug in the plugin under test. */
  async ai(): Promise<never> {
    throw new Error('the ingest double does not route AI requests');
  }

  async aiModels(): Promise<never> {
    throw new Error('the ingest double does not list AI models');
  }

  async authenticate(): Promise<undefined> {
    return undefined;
  }
}

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ffmpeg', args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr.trim()}`)) : resolve()));
  });
}
