/**
 * The ffmpeg transcode backend (plugins/transcode-ffmpeg) against the same
 * ffmpeg command run directly, in the same run: a 1080p30 2 s segment into
 * the 720p/360p/240p ladder. The plugin adds input validation (one ffprobe),
 * the fluent-ffmpeg runner and the parsing of ffmpeg's final stats (frame
 * counts); the raw run is the identical ffmpeg argument list spawned by hand. Runs alternate
 * so both see the same machine load. Prints the real-time factor of each
 * (segment seconds / wall seconds), their ratio and the plugin's overhead in
 * ms per segment; no thresholds. Run: node --import tsx bench/transcode-ffmpeg.ts
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presetProfile, type TranscodeTask } from '@lpx/sdk';
import { generateTestMedia } from '@lpx/sdk/testing';
import { buildLadderJob, createFfmpegBackend, type FfmpegJob } from '@lpx/plugin-transcode-ffmpeg';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const SEGMENT_MS = 2000;
const PRESET = 'veryfast';
const ladder = ['P720p30fps16x9', 'P360p30fps16x9', 'P240p30fps16x9'].map((name) => presetProfile(name)!);

/** The argument list the runner hands to ffmpeg (fluent-ffmpeg's order: input options, -i, -y, filter graph, outputs). */
function rawArgs(job: FfmpegJob): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'level+verbose', ...job.inputOptions, '-i', job.input, '-y', '-filter_complex', job.complexFilter,
    ...job.outputs.flatMap((o) => [...o.options, o.path]),
  ];
}

function runRaw(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // stderr read and dropped, as the runner reads it (a verbose log is a few KB per segment).
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const dir = await mkdtemp(join(tmpdir(), 'lpx-bench-transcode-'));
try {
  const source = join(dir, 'source-1080p.ts');
  await generateTestMedia(source, { width: 1920, height: 1080, fps: 30, durationMs: SEGMENT_MS });
  const backend = createFfmpegBackend({ preset: PRESET, maxSessions: 1 });
  const status = await backend.probe(new AbortController().signal);
  if (!status.available) throw new Error(`ffmpeg backend unavailable: ${status.reason}`);
  const { size } = await stat(source);

  const raw: number[] = [];
  const plugin: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const rawDir = join(dir, `raw-${run}`);
    const pluginDir = join(dir, `plugin-${run}`);
    await mkdir(rawDir);
    await mkdir(pluginDir);
    const args = rawArgs(buildLadderJob(source, ladder, rawDir, { preset: PRESET, threads: 0, sourceFps: [30, 1] }).job);
    const task: TranscodeTask = {
      sessionId: 'bench', seq: run, input: { path: source, format: 'mpegts', sizeBytes: size, durationMs: SEGMENT_MS },
      profiles: ladder, outputDir: pluginDir, signal: new AbortController().signal,
    };
    let t0 = performance.now();
    await runRaw(args);
    const rawMs = performance.now() - t0;
    t0 = performance.now();
    await backend.transcode(task);
    const pluginMs = performance.now() - t0;
    if (run === 0) continue; // warm-up: page cache, fluent-ffmpeg's one-off capability listing
    raw.push(rawMs);
    plugin.push(pluginMs);
  }
  await backend.close();

  const rawMs = median(raw);
  const pluginMs = median(plugin);
  const rtf = (ms: number): string => (SEGMENT_MS / ms).toFixed(2);
  console.log(`1080p30 ${SEGMENT_MS / 1000} s segment → ${ladder.map((p) => p.name).join(', ')} (libx264 ${PRESET}), median of ${RUNS} runs`);
  console.log(`  raw ffmpeg command      ${rawMs.toFixed(0).padStart(6)} ms  real-time factor ${rtf(rawMs)}×`);
  console.log(`  transcode-ffmpeg plugin ${pluginMs.toFixed(0).padStart(6)} ms  real-time factor ${rtf(pluginMs)}×`);
  console.log(`  plugin / raw rate: ${(rawMs / pluginMs).toFixed(3)}  overhead: ${(pluginMs - rawMs).toFixed(0)} ms per segment (ffprobe input validation + runner)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
