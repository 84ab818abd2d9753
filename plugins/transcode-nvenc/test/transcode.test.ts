import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { presetProfile, type TranscodeInput, type TranscodeProfile, type TranscodeTask } from '@lpx/sdk';
import { generateTestMedia, probeMedia, runConformanceSuite, transcodeBackendSuite } from '@lpx/sdk/testing';
import { NvencBackend, nvencOptions, type NvencConfig } from '../src/index.js';
import { hardwareDoubles, type FakeFfmpegOptions } from './hardware-doubles.js';

/*
 * The transcode path needs a GPU this machine does not have. Every test here
 * that expects success runs against the TEST DOUBLE AT THE HARDWARE BOUNDARY
 * (hardware-doubles.ts): a fake NVENC ffmpeg that logs the command the backend
 * built and delegates it to software encoding, so the renditions checked are
 * real files. What is proven: the plumbing (arguments, device choice,
 * stickiness, caps, input/profile checks, errors, cancellation, pixel counts).
 * What is not: that NVENC itself accepts the command — only a GPU can.
 */

const work = await mkdtemp(join(tmpdir(), 'lpx-nvenc-test-'));
t.teardown(() => rm(work, { recursive: true, force: true }));

async function media(name: string, options: Parameters<typeof generateTestMedia>[1] = {}): Promise<TranscodeInput> {
  const path = join(work, name);
  await generateTestMedia(path, { width: 320, height: 180, durationMs: 1000, ...options });
  return { path, format: 'mpegts', sizeBytes: (await stat(path)).size, durationMs: options.durationMs ?? 1000 };
}
const source = await media('source.ts');

// Both rungs sit above NVENC's H.264 floor (146 pixels wide), which the backend enforces before any process starts.
const ladder: TranscodeProfile[] = [
  { ...presetProfile('P240p30fps16x9')!, width: 256, height: 144, name: 'low' },
  { ...presetProfile('P240p30fps16x9')!, width: 192, height: 108, fps: 15, name: 'lower', profile: 'baseline', gopMs: 1000 },
];

let dirs = 0;
async function task(overrides: Partial<TranscodeTask> = {}): Promise<TranscodeTask> {
  dirs += 1;
  const outputDir = join(work, `out-${dirs}`);
  await mkdir(outputDir);
  return { sessionId: `session-${dirs}`, seq: 0, input: source, profiles: ladder, outputDir, signal: new AbortController().signal, ...overrides };
}

async function availableBackend(t: Test, fake: FakeFfmpegOptions = {}, config: NvencConfig = {}) {
  const doubles = await hardwareDoubles(fake);
  t.teardown(() => doubles.cleanup());
  const backend = new NvencBackend(nvencOptions({ ffmpegPath: doubles.ffmpegPath, nvidiaSmiPath: doubles.nvidiaSmiPath, ...config }));
  const status = await backend.probe(new AbortController().signal);
  t.equal(status.available, true, `the double probes available (${status.reason ?? ''})`);
  /** The GPU each transcode command ran on, in call order. */
  const transcodeGpus = async (): Promise<string[]> => (await doubles.calls()).filter((c) => c.includes('-hwaccel')).map((c) => c[c.indexOf('-hwaccel_device') + 1]!);
  return { backend, doubles, transcodeGpus };
}

t.test('DOUBLE: a ladder comes back as real renditions with pixel counts from decoding them', async (t) => {
  const { backend, doubles } = await availableBackend(t);
  const tk = await task();
  const output = await backend.transcode(tk);
  t.same(output.renditions.map((r) => [r.profile, r.width, r.height]), [['low', 256, 144], ['lower', 192, 108]]);
  for (const r of output.renditions) {
    const probed = await probeMedia(r.path);
    t.equal(probed.video?.frames, r.frames, `${r.profile}: frames as a verifier decodes them`);
    t.equal(r.pixels, BigInt(r.width * r.height * r.frames));
    t.same(probed.audioCodecs, ['aac'], `${r.profile}: audio copied`);
  }
  t.equal(output.renditions[1]!.frames, 15, '1 s at 15 fps');
  t.equal(output.decodedPixels, 320n * 180n * 30n);
  const call = (await doubles.calls()).find((c) => c.includes('-hwaccel'))!;
  t.match(call.join(' '), /-hwaccel cuda -hwaccel_output_format cuda -hwaccel_device 0 -copyts -i /, 'the backend asked for CUDA decode on GPU 0');
  t.match(call.join(' '), /split=2\[s0\]\[s1\];\[s0\]fps=30\/1,scale_cuda=w=256:h=144\[v0\];\[s1\]fps=15\/1,scale_cuda=w=192:h=108\[v1\]/);
  t.equal(call.filter((a) => a === 'h264_nvenc').length, 2, 'one NVENC encode per rendition, in one process');
});

t.test('DOUBLE: sessions spread over GPUs and each sticks to its GPU', async (t) => {
  const { backend, transcodeGpus } = await availableBackend(t);
  const one = { profiles: [ladder[0]!] };
  await backend.transcode(await task({ ...one, sessionId: 'a', seq: 0 }));
  await backend.transcode(await task({ ...one, sessionId: 'b', seq: 0 }));
  await backend.transcode(await task({ ...one, sessionId: 'a', seq: 1 }));
  await backend.transcode(await task({ ...one, sessionId: 'b', seq: 1 }));
  t.same(await transcodeGpus(), ['0', '1', '0', '1']);
  t.same(backend.status()?.devices?.map((d) => d.load), [1, 1], 'one session on each GPU');
});

t.test('DOUBLE: past GPUs × sessionsPerGpu a new session is refused with NO_CAPACITY; ending one makes room', async (t) => {
  const { backend } = await availableBackend(t, {}, { sessionsPerGpu: 1 });
  const one = { profiles: [ladder[0]!] };
  await backend.transcode(await task({ ...one, sessionId: 'a' }));
  await backend.transcode(await task({ ...one, sessionId: 'b' }));
  await t.rejects(backend.transcode(await task({ ...one, sessionId: 'c' })), { code: 'LPX_ERR_TRANSCODE_NO_CAPACITY' });
  await t.resolves(backend.transcode(await task({ ...one, sessionId: 'a', seq: 1 })), 'a known session still runs');
  backend.endSession('a');
  await t.resolves(backend.transcode(await task({ ...one, sessionId: 'c' })));
});

t.test('DOUBLE: the encoder crashing mid-segment is FAILED with the encoder’s line', async (t) => {
  const { backend } = await availableBackend(t, { failTranscodeStderr: '[h264_nvenc @ 0x7f] EncodePicture failed!: unknown error (20)\nConversion failed!' });
  await t.rejects(backend.transcode(await task()), { code: 'LPX_ERR_TRANSCODE_FAILED', message: /ffmpeg on GPU 0 exited with 1: EncodePicture failed!: unknown error \(20\)/ });
});

t.test('bad input and bad profiles are coded errors before any encode (DOUBLE for availability)', async (t) => {
  const { backend, doubles } = await availableBackend(t);
  // The generic source and ladder rules are the kit's (sdk/test/transcode-kit); here: that the backend applies them, and its own.
  const empty = join(work, 'empty.ts');
  await writeFile(empty, '');
  const i444 = join(work, 'yuv444.ts');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30:duration=0.5', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p', '-f', 'mpegts', i444]);
  const input = async (path: string): Promise<TranscodeInput> => ({ path, format: 'mpegts', sizeBytes: (await stat(path)).size, durationMs: 0 });

  await t.rejects(backend.transcode(await task({ input: await input(empty) })), { code: 'LPX_ERR_TRANSCODE_INPUT_INVALID', message: /empty/ });
  await t.rejects(backend.transcode(await task({ input: await input(i444) })), { code: 'LPX_ERR_TRANSCODE_INPUT_INVALID', message: /yuv444p is not 4:2:0/ });

  const bad = (p: Partial<TranscodeProfile>) => task({ profiles: [ladder[0]!, { ...ladder[1]!, ...p }] });
  await t.rejects(backend.transcode(await bad({ width: 427 })), { code: 'LPX_ERR_TRANSCODE_PROFILE_INVALID', message: /odd/ });
  await t.rejects(backend.transcode(await bad({ width: 128, height: 72 })), { code: 'LPX_ERR_TRANSCODE_PROFILE_INVALID', message: /outside the encoder's H264 range 146x50/ });
  await t.rejects(backend.transcode(await bad({ codec: 'VP9' })), { code: 'LPX_ERR_TRANSCODE_PROFILE_INVALID', message: /VP9 is not encoded/ });
  t.equal((await doubles.calls()).filter((c) => c.includes('-hwaccel')).length, 0, 'no transcode process was started for any of them');
});

t.test('REAL ffmpeg here: transcode on the unavailable backend is BACKEND_UNAVAILABLE, with the probe’s reason', async (t) => {
  const backend = new NvencBackend(nvencOptions({}));
  const tk = await task();
  await t.rejects(backend.transcode(tk), { code: 'LPX_ERR_TRANSCODE_BACKEND_UNAVAILABLE', message: /nvenc is unavailable: test encode with h264_nvenc on GPU 0 failed/ });
  t.same(await readdir(tk.outputDir), []);
});

t.test('DOUBLE: the sdk transcode conformance suite, expect available (the plumbing; the unavailable run on the real ffmpeg is in test/conformance)', async (t) => {
  const doubles = await hardwareDoubles();
  t.teardown(() => doubles.cleanup());
  const report = await runConformanceSuite(
    transcodeBackendSuite({ expect: 'available', workDir: await mkdtemp(join(work, 'suite-')) }),
    () => new NvencBackend(nvencOptions({ ffmpegPath: doubles.ffmpegPath, nvidiaSmiPath: doubles.nvidiaSmiPath })),
  );
  t.same(report.failed, []);
  t.ok(report.passed.length >= 9, `${report.passed.length} cases passed`);
});
