/**
 * Transcoding through the whole network path versus the same ffmpeg command
 * run directly, in the same run. A 1080p30 2 s segment is pushed to the
 * gateway's HTTP ingest (video-ingest plugin) → route job → the gateway's
 * /segment client pays an orchestrator → /segment → blob store → BullMQ
 * transcode job → the transcode-ffmpeg backend on a worker → renditions back
 * as multipart/mixed. The raw baseline is the argument list the ffmpeg
 * backend builds for the same ladder, spawned by hand. Then segments/s with
 * 1, 2 and 4 separate worker processes (one transcode session each) behind
 * one orchestrator. Prints ratios and the platform's own overhead per
 * segment; no thresholds.
 *
 *   node --import tsx bench/transcode-path.ts [runs]
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presetProfile } from '@lpx/sdk';
import { generateTestMedia } from '@lpx/sdk/testing';
import { buildLadderJob } from '@lpx/plugin-transcode-ffmpeg';
import { scrapeCounter } from '../core/src/demo/demo-metrics.js';
import { startDevNetwork, type DevNetwork } from '../core/src/dev/dev-network.js';
import { runNodesCompiled } from './compiled-nodes.js';

runNodesCompiled();

const RUNS = Number(process.argv[2] ?? process.env['BENCH_RUNS'] ?? 5);
const SEGMENT_MS = 2_000;
const LADDER = ['P720p30fps16x9', 'P360p30fps16x9', 'P240p30fps16x9'];
const CONFIGURATION = JSON.stringify({ presets: LADDER });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
  });
}

async function push(network: DevNetwork, stream: string, seq: number, segment: Buffer): Promise<void> {
  const response = await fetch(`${network.gateway.httpUrl}/live/${stream}/${seq}.ts`, {
    method: 'POST',
    headers: { 'content-type': 'video/mp2t', 'content-duration': String(SEGMENT_MS), accept: 'multipart/mixed', 'livepeer-transcode-configuration': CONFIGURATION },
    body: segment,
  });
  const body = await response.arrayBuffer();
  if (response.status !== 200 || body.byteLength === 0) throw new Error(`push ${stream}/${seq}: ${response.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
}

/** Sum of a metric's samples whose labels include `label`, from a node's /metrics. */
async function scrapeLabelled(httpUrl: string, name: string, label: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(label))
    .reduce((sum, line) => sum + Number(line.trim().split(/\s+/).at(-1)), 0);
}

const PHASES = ['prepare', 'transcode', 'download', 'verify'] as const;

async function phaseSums(gateway: string): Promise<number[]> {
  return Promise.all(PHASES.map((phase) => scrapeLabelled(gateway, 'lpx_gateway_segment_seconds_sum', `phase="${phase}"`)));
}

async function withNetwork<T>(dir: string, workers: number, use: (network: DevNetwork) => Promise<T>): Promise<T> {
  const network = await startDevNetwork({ orchestrators: 1, workers, dataDir: join(dir, `net-${workers}`) });
  try {
    return await use(network);
  } finally {
    await network.stop();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'lpx-bench-transcode-path-'));
try {
  const source = join(dir, 'source-1080p.ts');
  await generateTestMedia(source, { width: 1920, height: 1080, fps: 30, durationMs: SEGMENT_MS });
  const segment = await readFile(source);
  const profiles = LADDER.map((name) => presetProfile(name)!);

  // The raw command: what the ffmpeg backend runs for this ladder (same preset as the dev orchestrators).
  const rawOnce = async (run: number): Promise<number> => {
    const out = join(dir, `raw-${run}`);
    await mkdir(out);
    const { job } = buildLadderJob(source, profiles, out, { preset: 'veryfast', threads: 0, sourceFps: [30, 1] });
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', ...job.inputOptions, '-i', job.input, '-y', '-filter_complex', job.complexFilter, ...job.outputs.flatMap((o) => [...o.options, o.path])];
    const t0 = performance.now();
    await runFfmpeg(args);
    return performance.now() - t0;
  };

  const { raw, path, backend, phases } = await withNetwork(dir, 0, async (network) => {
    await push(network, 'warm', 0, segment); // discovery, the first payment, the ffmpeg probe's page cache
    const orchestrator = network.orchestrators[0]!.process.httpUrl;
    const phasesBefore = await phaseSums(network.gateway.httpUrl);
    const backendBefore = { sum: await scrapeCounter(orchestrator, 'lpx_transcode_seconds_sum'), count: await scrapeCounter(orchestrator, 'lpx_transcode_seconds_count') };
    const rawMs: number[] = [];
    const pathMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Alternate, so both see the same machine load.
      rawMs.push(await rawOnce(run));
      const t0 = performance.now();
      await push(network, 'path', run, segment);
      pathMs.push(performance.now() - t0);
    }
    const sum = (await scrapeCounter(orchestrator, 'lpx_transcode_seconds_sum')) - backendBefore.sum;
    const count = (await scrapeCounter(orchestrator, 'lpx_transcode_seconds_count')) - backendBefore.count;
    const phasesAfter = await phaseSums(network.gateway.httpUrl);
    const phases = PHASES.map((phase, i) => ({ phase, ms: ((phasesAfter[i]! - phasesBefore[i]!) * 1000) / RUNS }));
    return { raw: median(rawMs), path: median(pathMs), backend: count > 0 ? (sum * 1000) / count : Number.NaN, phases };
  });
  const rtf = (ms: number): string => (SEGMENT_MS / ms).toFixed(2);
  console.log(`1080p30 ${SEGMENT_MS / 1000} s segment → ${LADDER.join(', ')} (libx264 veryfast), median of ${RUNS}`);
  console.log(`  raw ffmpeg command                       ${raw.toFixed(0).padStart(6)} ms  real-time factor ${rtf(raw)}×`);
  console.log(`  push → gateway → orchestrator → worker   ${path.toFixed(0).padStart(6)} ms  real-time factor ${rtf(path)}×`);
  console.log(`  whole path / raw rate: ${(raw / path).toFixed(3)}  platform overhead: ${(path - raw).toFixed(0)} ms per segment`);
  console.log(`  of the path, in the ffmpeg backend (mean, its input check + the encode): ${backend.toFixed(0)} ms; routing, payment, blobs and transfers: ${(path - backend).toFixed(0)} ms`);
  const attempt = phases.reduce((sum, p) => sum + p.ms, 0);
  const transcodePhase = phases.find((p) => p.phase === 'transcode')!.ms;
  console.log(`  gateway's attempt (mean): ${phases.map((p) => `${p.phase} ${p.ms.toFixed(0)} ms`).join(', ')}`);
  console.log(`    → orchestrator side besides the backend (upload, /segment checks, blobs, job round trip, signing): ${(transcodePhase - backend).toFixed(0)} ms; gateway side before and after the attempt (ingest, route job, blobs): ${(path - attempt).toFixed(0)} ms`);

  // One stream per worker: each worker holds one transcode session, as a go-livepeer transcoder of capacity 1 would.
  const PER_STREAM = 3;
  for (const workers of [1, 2, 4]) {
    const STREAMS = workers;
    const SEGMENTS = STREAMS * PER_STREAM;
    const perSecond = await withNetwork(dir, workers, async (network) => {
      await push(network, 'warm', 0, segment);
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: STREAMS }, async (_, s) => {
          for (let seq = 0; seq < SEGMENTS / STREAMS; seq++) await push(network, `scale-${s}`, seq, segment);
        }),
      );
      return SEGMENTS / ((performance.now() - t0) / 1000);
    });
    console.log(`  ${workers} worker process(es), ${STREAMS} streams × ${SEGMENTS / STREAMS} segments: ${perSecond.toFixed(2)} segments/s (${(perSecond * SEGMENT_MS / 1000).toFixed(2)}× real time)`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
