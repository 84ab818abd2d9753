import t from 'tap';
import { availableParallelism } from 'node:os';
import { mkdir as mkdirFs, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors, presetProfile, type LpxError, type TranscodeProfile } from '@lpx/sdk';
import { descendantProcesses, generateTestMedia, probeMedia } from '@lpx/sdk/testing';
import { createFfmpegBackend, FfmpegTranscodeBackend, fluentFfmpegRunner } from '../src/index.js';
import { makeTask, shiftTimeline, startTime, tempDir, videoDetails } from './helpers.js';

const p240 = presetProfile('P240p30fps16x9')!;
const small: TranscodeProfile = { ...p240, name: 'small', width: 320, height: 180, bitrate: 300_000 };

t.test('probe: available with libx264, capacity from maxSessions or the CPU count', async (t) => {
  const status = await createFfmpegBackend({ maxSessions: 3 }).probe(new AbortController().signal);
  t.equal(status.available, true, status.reason ?? '');
  t.equal(status.capacity, 3);
  t.ok(status.encode.includes('H264'));
  t.ok(status.decode.includes('H264'));
  t.same(status.formats, ['mpegts', 'mp4']);
  t.equal((await createFfmpegBackend().probe(new AbortController().signal)).capacity, availableParallelism());
});

t.test('probe: says why it is unavailable, never throws', async (t) => {
  const reason = async (config: Record<string, string>): Promise<string> => {
    const status = await createFfmpegBackend(config).probe(new AbortController().signal);
    t.equal(status.available, false);
    t.equal(status.capacity, 0);
    return status.reason ?? '';
  };
  t.match(await reason({ ffmpegPath: '/nonexistent/ffmpeg' }), /ffmpeg not found: \/nonexistent\/ffmpeg/);
  t.match(await reason({ ffmpegPath: '/bin/true' }), /libx264 not listed/, 'a binary that lists nothing');
  t.match(await reason({ ffmpegPath: '/bin/false' }), /-encoders failed \(exit 1\)/);
  t.match(await reason({ ffprobePath: '/nonexistent/ffprobe' }), /ffprobe not runnable/);
});

t.test('the profile fields reach the encoder: passthrough fps, intra GOP, constrained-high, mp4 with copied AAC, HEVC', async (t) => {
  const dir = await tempDir(t);
  const source = join(dir, 'in.ts');
  await generateTestMedia(source, { width: 320, height: 180, fps: 25, durationMs: 1000 });
  // Not ultrafast: x264 treats -profile:v as a ceiling and ultrafast's features fit Constrained Baseline.
  const backend = createFfmpegBackend({ preset: 'veryfast' });
  const status = await backend.probe(new AbortController().signal);
  const profiles: TranscodeProfile[] = [
    { ...small, name: 'passthrough-intra', fps: 0, gopMs: -1, profile: 'constrained-high' },
    { ...small, name: 'mp4-main', width: 160, height: 90, fps: 10, profile: 'main', format: 'mp4' },
    ...(status.encode.includes('HEVC') ? [{ ...small, name: 'hevc', codec: 'HEVC' as const, format: 'mp4' as const }] : []),
  ];
  const out = await backend.transcode(await makeTask(source, profiles, join(dir)));
  t.equal(out.renditions.length, profiles.length);
  t.equal(out.decodedPixels, 320n * 180n * 25n, 'decoded pixels: the source frames');

  const intra = await videoDetails(out.renditions[0]!.path);
  t.equal(out.renditions[0]!.frames, 25, 'passthrough keeps the 25 source frames');
  t.equal(intra.keyframes, intra.packets, 'gop -1: every frame is a keyframe');
  t.equal(intra.profile, 'High', 'constrained-high is encoded as High');

  const mp4 = await probeMedia(out.renditions[1]!.path);
  t.match(mp4.formatName, /mp4/);
  t.equal(mp4.video?.frames, 10, '10 fps for 1 s');
  t.same(mp4.audioCodecs, ['aac'], 'the TS audio is copied into the MP4');
  t.equal((await videoDetails(out.renditions[1]!.path)).profile, 'Main');
  if (profiles[2]) t.equal((await probeMedia(out.renditions[2]!.path)).video?.codec, 'HEVC');
});

t.test('an ffmpeg that prints no final stats: frames are counted with ffprobe instead (video-only input)', async (t) => {
  const dir = await tempDir(t);
  const source = join(dir, 'video-only.ts');
  await generateTestMedia(source, { width: 320, height: 180, durationMs: 1000, audio: false });
  const real = fluentFfmpegRunner({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', killGraceMs: 2000 });
  // The real runner with its log dropped, as an ffmpeg build whose stats we cannot parse would leave it.
  const runner = { ...real, run: async (...args: Parameters<typeof real.run>) => ({ ...(await real.run(...args)), log: [] }) };
  const backend = new FfmpegTranscodeBackend({ runner, capacity: 1, preset: 'ultrafast', threads: 0 });
  const out = await backend.transcode(await makeTask(source, [small, { ...small, name: 'half-rate', fps: 15 }], dir));
  t.same(out.renditions.map((r) => r.frames), [30, 15]);
  t.equal(out.decodedPixels, undefined, 'no decoded count without the stats');
});

t.test('TS renditions keep the source timeline (segment n of a stream plays on from n-1 in HLS)', async (t) => {
  const dir = await tempDir(t);
  const first = join(dir, 'first.ts');
  const later = join(dir, 'later.ts');
  await generateTestMedia(first, { width: 320, height: 180, durationMs: 1000 });
  await shiftTimeline(first, later, 10);
  const out = await createFfmpegBackend({ preset: 'ultrafast' }).transcode(await makeTask(later, [small, { ...small, name: 'half-rate', fps: 15 }], dir));
  const source = await startTime(later);
  t.ok(source > 10, `the source starts at ${source} s`);
  for (const r of out.renditions) {
    const start = await startTime(r.path);
    t.ok(Math.abs(start - source) < 0.1, `${r.profile} starts at ${start} s, the source at ${source} s`);
  }
});

t.test('ffmpeg exiting non-zero is FAILED with the last stderr lines', async (t) => {
  const dir = await tempDir(t);
  const source = join(dir, 'in.ts');
  await generateTestMedia(source, { width: 320, height: 180, durationMs: 500 });
  // A preset libx264 does not know: the schema refuses it in config, the encoder refuses it here.
  const backend = createFfmpegBackend({ preset: 'no-such-preset' });
  const error = (await backend.transcode(await makeTask(source, [small], await mkdir(dir, 'out'))).catch((e: unknown) => e)) as LpxError;
  t.ok(errors.transcode.FAILED.is(error), String(error));
  const stderr = error.details?.['stderr'] as string[];
  t.ok(Array.isArray(stderr) && stderr.some((line) => /preset/i.test(line)), `stderr tail names the cause: ${JSON.stringify(stderr)}`);
});

t.test('an encoder killed from outside (a crash) is FAILED, not CANCELLED', async (t) => {
  const dir = await tempDir(t);
  const source = join(dir, 'in.ts');
  await generateTestMedia(source, { width: 640, height: 360, durationMs: 6000 });
  const backend = createFfmpegBackend({ preset: 'veryfast' });
  await backend.probe(new AbortController().signal);
  const running = backend.transcode(await makeTask(source, [p240, small], join(dir)));
  running.catch(() => undefined);
  const ffmpeg = await waitForEncoder();
  process.kill(ffmpeg, 'SIGKILL');
  const error = await running.catch((e: unknown) => e);
  t.ok(errors.transcode.FAILED.is(error), String(error));
  t.match((error as Error).message, /SIGKILL/);
});

t.test('abort while ffmpeg encodes: SIGTERM, CANCELLED, no process left', async (t) => {
  const dir = await tempDir(t);
  const source = join(dir, 'in.ts');
  await generateTestMedia(source, { width: 640, height: 360, durationMs: 6000 });
  const backend = createFfmpegBackend({ preset: 'veryfast' });
  await backend.probe(new AbortController().signal);
  // Processes the test runner itself keeps (the TypeScript loader's esbuild service) are not ours.
  const before = new Set((await descendantProcesses())?.map((p) => p.pid));
  const controller = new AbortController();
  const running = backend.transcode(await makeTask(source, [p240, small], join(dir), controller.signal));
  running.catch(() => undefined);
  await waitForEncoder();
  controller.abort();
  t.ok(errors.transcode.CANCELLED.is(await running.catch((e: unknown) => e)));
  t.same((await descendantProcesses())?.filter((p) => !before.has(p.pid)), [], 'ffmpeg has exited when the promise settles');
});

t.test('close() cancels running tasks; over capacity is NO_CAPACITY', async (t) => {
  const dir = await tempDir(t);
  const source = join(dir, 'in.ts');
  await generateTestMedia(source, { width: 640, height: 360, durationMs: 6000 });
  const backend = createFfmpegBackend({ preset: 'veryfast', maxSessions: 1 });
  await backend.probe(new AbortController().signal);
  const first = backend.transcode(await makeTask(source, [small], await mkdir(dir, 'a')));
  first.catch(() => undefined);
  const second = await backend.transcode(await makeTask(source, [small], await mkdir(dir, 'b'))).catch((e: unknown) => e);
  t.ok(errors.transcode.NO_CAPACITY.is(second), String(second));
  await waitForEncoder();
  await backend.close();
  t.ok(errors.transcode.CANCELLED.is(await first.catch((e: unknown) => e)));
});

async function mkdir(...parts: string[]): Promise<string> {
  const path = join(...parts);
  await mkdirFs(path, { recursive: true });
  return path;
}

/**
 * Polls /proc until our ladder ffmpeg (the one with a filter graph, not
 * fluent-ffmpeg's one-off capability listings) runs: the transcode is then mid-flight.
 */
async function waitForEncoder(): Promise<number> {
  for (;;) {
    for (const p of (await descendantProcesses()) ?? []) {
      const cmdline = await readFile(`/proc/${p.pid}/cmdline`, 'utf8').catch(() => '');
      if (p.command === 'ffmpeg' && cmdline.includes('-filter_complex')) return p.pid;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

t.test('a probe aborted midway is not remembered as the backend status', async (t) => {
  const dir = await tempDir(t);
  const source = join(dir, 'in.ts');
  await generateTestMedia(source, { width: 320, height: 180, durationMs: 500 });
  const backend = createFfmpegBackend({ preset: 'ultrafast' });
  t.equal((await backend.probe(new AbortController().signal)).available, true);
  const controller = new AbortController();
  const aborted = backend.probe(controller.signal);
  controller.abort();
  const status = await aborted;
  t.equal(status.available, false);
  t.match(status.reason, /aborted/);
  const out = await backend.transcode(await makeTask(source, [small], dir));
  t.equal(out.renditions.length, 1, 'transcodes on the last complete probe');
});
