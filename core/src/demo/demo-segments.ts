/**
 * The video half of `npm run demo`: real 1080p30 MPEG-TS segments made with
 * Debian's ffmpeg, pushed one after another to the gateway's go-livepeer-style
 * HTTP ingest (`POST /live/<stream>/<seq>.ts`, `Accept: multipart/mixed`), the
 * renditions read back from the multipart answer, and the HLS master playlist
 * checked to list them. The source is made here, not transcoded: the work is
 * done by the orchestrators' transcode backends.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMultipart } from '../network/multipart/index.js';

export const DEMO_SEGMENT_MS = 2_000;

export interface SegmentPushSummary {
  readonly segments: number;
  readonly renditions: number;
  readonly failed: number;
  /** Variant streams the gateway's master playlist lists. */
  readonly playlistRenditions: number;
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr.trim()}`))));
  });
}

/** `count` consecutive 2 s segments of a 1080p30 test pattern with a tone, cut on keyframes. */
export async function makeDemoSegments(count: number, dir: string): Promise<string[]> {
  const seconds = (count * DEMO_SEGMENT_MS) / 1000;
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'veryfast', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', '64k',
    '-f', 'segment', '-segment_time', String(DEMO_SEGMENT_MS / 1000), '-segment_format', 'mpegts',
    join(dir, 'seg%d.ts'),
  ]);
  return Array.from({ length: count }, (_, i) => join(dir, `seg${i}.ts`));
}

export async function pushDemoSegments(gatewayUrl: string, count: number, log: (line: string) => void): Promise<SegmentPushSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-demo-segments-'));
  const stream = `demo-${Date.now().toString(36)}`;
  let renditions = 0;
  let failed = 0;
  try {
    const files = await makeDemoSegments(count, dir);
    for (const [seq, file] of files.entries()) {
      const response = await fetch(`${gatewayUrl}/live/${stream}/${seq}.ts`, {
        method: 'POST',
        headers: { 'content-type': 'video/mp2t', 'content-duration': String(DEMO_SEGMENT_MS), 'content-resolution': '1920x1080', accept: 'multipart/mixed' },
        body: readFileSync(file),
      });
      const body = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200) {
        failed++;
        log(`segment ${seq}: gateway answered ${response.status}: ${body.toString('utf8').slice(0, 300)}`);
        continue;
      }
      const parts = parseMultipart(body, response.headers.get('content-type') ?? '');
      const names = parts.map((part) => part.headers['rendition-name'] ?? '?');
      if (parts.length === 0 || parts.some((part) => part.body.length === 0)) failed++;
      renditions += parts.length;
      log(`segment ${seq}: ${parts.length} renditions (${names.join(', ')}; ${parts.map((p) => p.body.length).join(' + ')} bytes)`);
    }
    const master = await fetch(`${gatewayUrl}/stream/${stream}.m3u8`);
    const playlist = master.status === 200 ? await master.text() : '';
    const playlistRenditions = playlist.split('\n').filter((line) => line.startsWith('#EXT-X-STREAM-INF')).length;
    return { segments: count - failed, renditions, failed, playlistRenditions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
