/**
 * The ingest's routes on a bare fastify instance with the kernel's own
 * problem+json handler: what the node serves, without a node. The
 * Host-level test (plugin-host.test.ts) covers the plugin as loaded.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastify, type FastifyInstance } from 'fastify';
import { generateTestMedia, installKernelProblemJson, type TestMediaOptions } from '@lpx/sdk/testing';
import { ingestRoutes, VideoIngest, withDefaults, type IngestMetrics, type VideoIngestConfig } from '../../src/index.js';
import { FfmpegRoutingDouble } from './ffmpeg-routing-double.js';

export interface Teardownable {
  teardown(fn: () => unknown): void;
}

/** Small test ladder: two renditions that encode fast on a shared 2-core machine. */
export const TEST_LADDER = ['P144p30fps16x9', { name: 'tiny', width: 160, height: 90, bitrate: 100_000 }];

export function countingMetrics() {
  const counts: Record<string, number> = {};
  const add = (key: string, by = 1) => void (counts[key] = (counts[key] ?? 0) + by);
  const metrics: IngestMetrics = {
    segmentIn: (result) => add(`segments_in.${result}`),
    renditionsOut: (n) => (add('segments_out'), add('renditions_out', n)),
    failure: (code) => add(`failure.${code}`),
    streams: (n) => void (counts.streams = n),
    bufferBytes: (n) => void (counts.buffer_bytes = n),
  };
  return { counts, metrics };
}

export async function ingestApp(t: Teardownable, config: Partial<VideoIngestConfig> = {}) {
  const gateway = new FfmpegRoutingDouble();
  let clock = 1_000_000;
  const { counts, metrics } = countingMetrics();
  const settings = withDefaults({ ladder: TEST_LADDER, ...config });
  const ingest = new VideoIngest({ config: settings, gateway, logger: { info() {}, warn() {}, error() {} }, metrics, now: () => clock });
  const app: FastifyInstance = fastify();
  await installKernelProblemJson(app);
  for (const route of ingestRoutes(ingest, settings)) app.route(route);
  await app.ready();
  t.teardown(() => app.close());
  return { app, gateway, ingest, counts, advance: (ms: number) => void (clock += ms) };
}

const mediaCache = new Map<string, Promise<Buffer>>();

/** A synthetic segment (320x180, 1 s by default), generated once per option set and reused. */
export function testSegment(options: TestMediaOptions = {}): Promise<Buffer> {
  const full = { width: 320, height: 180, durationMs: 1000, ...options };
  const key = JSON.stringify(full);
  let cached = mediaCache.get(key);
  if (cached === undefined) {
    cached = (async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lpx-ingest-media-'));
      try {
        const path = join(dir, `segment.${full.format === 'mp4' ? 'mp4' : 'ts'}`);
        await generateTestMedia(path, full);
        return await readFile(path);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    })();
    mediaCache.set(key, cached);
  }
  return cached;
}

export function push(app: FastifyInstance, path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': 'video/mp2t', ...headers } });
}
