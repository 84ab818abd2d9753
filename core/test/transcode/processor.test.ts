// The kernel's video/transcode processor on its own, with a real blob store
// and a real-ffmpeg backend: cancellation and timeout end a hung backend with
// CANCELLED, a worker with nothing available refuses with every reason, and
// no temp dir survives a task, whatever happened in it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { pino } from 'pino';
import type { JobContext, TranscodeBackendStatus } from '@lpx/sdk';
import { BlobStore, DiskBackend } from '../../src/blobs/index.js';
import { BackendPicker } from '../../src/transcode/backend-picker.js';
import { fromWireProfile } from '../../src/transcode/profile-convert.js';
import { createTranscodeProcessor } from '../../src/transcode/transcode-processor.js';
import { createTranscodeMetrics } from '../../src/transcode/transcode-metrics.js';
import type { TranscodeJobData, TranscodeJobResult } from '../../src/transcode/transcode-job.js';
import { testBackend, type TestBackend } from './helpers/ffmpeg-test-backend.js';
import { LADDER, sourceSegment } from './helpers/media.js';

const AVAILABLE: TranscodeBackendStatus = { available: true, capacity: 1, decode: ['H264'], encode: ['H264'], formats: ['mpegts'] };

async function setup(t: Test, backend: TestBackend, status: TranscodeBackendStatus = AVAILABLE) {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-processor-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const disk = new DiskBackend(join(dir, 'blobs'));
  await disk.init();
  const store = await BlobStore.open({ backend: disk, secret: randomBytes(32), maxBlobBytes: 1 << 26, quotaBytes: 1 << 30, ttlSeconds: 3600 });
  const work = join(dir, 'work');
  await import('node:fs/promises').then((fs) => fs.mkdir(work));
  const statuses = new Map([[backend.name, status]]);
  const processor = createTranscodeProcessor({
    store,
    picker: new BackendPicker(() => {}),
    backends: (name) => (name === backend.name ? backend : undefined),
    statuses: () => statuses,
    ownerOf: (id) => `job:test|${id}`,
    metrics: createTranscodeMetrics(undefined),
    logger: pino({ level: 'silent' }),
    workDir: work,
  });
  const source = await store.put(await sourceSegment(), { contentType: 'video/mp2t' });
  const run = (signal: AbortSignal, durationMs = 1_000): Promise<TranscodeJobResult> => {
    const data: TranscodeJobData = { sessionId: 's1', seq: '1', source, format: 'mpegts', durationMs, profiles: LADDER.map(fromWireProfile) };
    const job: JobContext<TranscodeJobData> = { id: 'job-1', capabilityId: 'video/transcode', data, attempt: 1, progress: async () => {}, signal };
    return processor(job);
  };
  return { run, leftovers: () => readdir(work) };
}

const codeOf = (result: TranscodeJobResult) => ('error' in result ? result.error.code : 'renditions');

t.test('cancel: the worker closing aborts a hung backend → CANCELLED, temp dir removed', async (t) => {
  const backend = testBackend({ behavior: 'hang' });
  const { run, leftovers } = await setup(t, backend);
  const controller = new AbortController();
  const pending = run(controller.signal);
  while (backend.tasks.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  controller.abort();
  const result = await pending;
  t.equal(codeOf(result), 'LPX_ERR_TRANSCODE_CANCELLED');
  t.match('error' in result ? result.error.message : '', /cancelled \(the worker is closing\)/);
  t.same(await leftovers(), [], 'no temp dir left');
});

t.test("timeout: go-livepeer's max(8 s, 4 × duration) ends a backend that ignores its signal", async (t) => {
  const backend = testBackend({ behavior: 'hang' });
  // A hang that ignores the abort: the kernel must not wait for it.
  backend.transcode = () => new Promise(() => {});
  const { run, leftovers } = await setup(t, backend);
  const result = await run(new AbortController().signal, 500);
  t.equal(codeOf(result), 'LPX_ERR_TRANSCODE_CANCELLED');
  t.match('error' in result ? result.error.message : '', /timed out after 8000 ms/);
  t.same(await leftovers(), []);
});

t.test('nothing available: BACKEND_UNAVAILABLE with each reason; success leaves no temp dir either', async (t) => {
  const { run } = await setup(t, testBackend(), { available: false, reason: 'no GPU', capacity: 0, decode: [], encode: [], formats: [] });
  const refused = await run(new AbortController().signal);
  t.equal(codeOf(refused), 'LPX_ERR_TRANSCODE_BACKEND_UNAVAILABLE');
  t.match('error' in refused ? refused.error.message : '', /"test-ffmpeg":"no GPU"/);

  const ok = await setup(t, testBackend());
  const result = await ok.run(new AbortController().signal);
  t.equal(codeOf(result), 'renditions');
  if ('renditions' in result) t.same(result.renditions.map((r) => r.profile), LADDER.map((p) => p.name));
  t.same(await ok.leftovers(), [], 'temp dir removed after a success');
});

t.test('the picker: lowest load factor with room, stickiness while the session lives, codecs respected, coded refusals', async (t) => {
  const ended: [string, string][] = [];
  let now = 0;
  const picker = new BackendPicker((sessionId, backend) => ended.push([sessionId, backend]), () => now);
  const h264 = (capacity: number): TranscodeBackendStatus => ({ available: true, capacity, decode: ['H264'], encode: ['H264'], formats: ['mpegts'] });
  const statuses = new Map<string, TranscodeBackendStatus>([['a', h264(2)], ['b', h264(4)]]);
  const profiles = LADDER.map(fromWireProfile);
  t.equal(picker.acquire('s1', profiles, statuses), 'a', 'both idle: first lowest factor');
  t.equal(picker.acquire('s2', profiles, statuses), 'b', 'a at 1/2, b at 0/4');
  t.equal(picker.acquire('s1', profiles, statuses), 'a', 's1 sticks to a while a has room');
  t.equal(picker.acquire('s1', profiles, statuses), 'b', 'a is full: s1 moves to b');
  t.same(ended, [['s1', 'a']], 'and a is told the session left it');
  for (let i = 0; i < 2; i++) picker.acquire(`x${i}`, profiles, statuses);
  t.throws(() => picker.acquire('s9', profiles, statuses), { code: 'LPX_ERR_TRANSCODE_NO_CAPACITY' });
  t.throws(() => picker.acquire('s9', profiles.map((p) => ({ ...p, codec: 'HEVC' as const })), statuses), { code: 'LPX_ERR_TRANSCODE_PROFILE_INVALID' });
  picker.release('a');
  now += 71_000;
  t.equal(picker.sessions, 0, 'sessions idle for 70 s are forgotten');
  t.ok(ended.some(([s]) => s === 's2'), 'and their backends told');
});
