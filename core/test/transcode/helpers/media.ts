import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { generateTestMedia } from '@lpx/sdk/testing';
import type { VideoProfile } from '../../../src/network/segment/index.js';

export interface Teardownable {
  teardown(fn: () => unknown): void;
}

let cached: Promise<Buffer> | undefined;

/** A real 1 s 320x180 MPEG-TS segment (H.264 + AAC), generated once per test process. */
export function sourceSegment(): Promise<Buffer> {
  cached ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lpx-transcode-media-'));
    try {
      const path = join(dir, 'source.ts');
      await generateTestMedia(path, { width: 320, height: 180, fps: 30, durationMs: 1_000, ffmpegPath: '/usr/bin/ffmpeg' });
      return await readFile(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return cached;
}

let cachedMp4: Promise<Buffer> | undefined;

/** The same picture as an MP4 segment (go-livepeer's /live/{id}/{seq}.mp4 ingest). */
export function mp4Segment(): Promise<Buffer> {
  cachedMp4 ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lpx-transcode-media-'));
    try {
      const path = join(dir, 'source.mp4');
      await generateTestMedia(path, { width: 320, height: 180, fps: 30, durationMs: 1_000, format: 'mp4', ffmpegPath: '/usr/bin/ffmpeg' });
      return await readFile(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return cachedMp4;
}

const wire = (name: string, width: number, height: number, fps: number): VideoProfile => ({
  name, width, height, bitrate: 300_000, fps, format: 0, fpsDen: 1, profile: 0, gop: 0, encoder: 0, colorDepth: 0, chromaFormat: 0, quality: 0,
});
/** Small renditions: the machine's cores are shared. */
export const LADDER: VideoProfile[] = [wire('P144p30fps16x9', 256, 144, 30), wire('tiny-15fps', 160, 90, 15)];

/** Polls `check` (workers report asynchronously over Redis). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The front door's certificate is self-signed, as go-livepeer's is. */
export const insecureAgent = new Agent({ connect: { rejectUnauthorized: false } });
