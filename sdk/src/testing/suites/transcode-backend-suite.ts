import { readdir } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { errors } from '../../errors/catalogue.js';
import type { ErrorCode } from '../../errors/lpx-error.js';
import type { TranscodeBackend, TranscodeBackendStatus, TranscodeOutput, TranscodeTask } from '../../extension-points/transcode-backends.js';
import type { TranscodeProfile } from '../../transcode/profiles.js';
import { defineConformanceSuite, type ConformanceAssert, type ConformanceCase, type ConformanceSuite } from '../conformance.js';
import { conformanceMedia, type ConformanceInputKind, type ConformanceMedia } from '../media/conformance-media.js';
import { descendantProcesses } from '../media/descendant-processes.js';
import { probeMedia } from '../media/probe-media.js';

export interface TranscodeBackendSuiteOptions {
  /** What the implementation promises on this machine: the suite checks that promise, not a guess. */
  readonly expect: 'available' | 'unavailable';
  /** The ladder transcoded by the success cases (≥ 2 profiles, from a 640x360 30 fps source). Default: 240p30 H.264 + 144p15 H.264 baseline. */
  readonly ladder?: readonly TranscodeProfile[];
  /** Cap on the concurrent tasks of the capacity case (it runs min(capacity, this)); default 2. */
  readonly maxConcurrent?: number;
  /** The media tools the suite itself uses to generate and verify media; default `ffmpeg` / `ffprobe` on PATH. */
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
  /** Where generated media goes; default a temp dir removed at process exit. */
  readonly workDir?: string;
}

const base = { fpsDen: 1, codec: 'H264', format: 'mpegts', quality: 0 } as const;
/** Small on purpose: the suite runs on shared CI cores. The second rung changes rate, GOP and profile. */
export const CONFORMANCE_LADDER: readonly TranscodeProfile[] = Object.freeze([
  { ...base, name: 'conformance-240p30', width: 426, height: 240, bitrate: 600_000, fps: 30, gopMs: 0, profile: 'encoder-default' },
  { ...base, name: 'conformance-144p15', width: 256, height: 144, bitrate: 300_000, fps: 15, gopMs: 1000, profile: 'baseline' },
]);

const CODECS = new Set(['H264', 'HEVC', 'VP8', 'VP9']);
const FORMATS = new Set(['mpegts', 'mp4']);

function checkStatus(status: TranscodeBackendStatus, assert: ConformanceAssert): void {
  assert.ok(status !== null && typeof status === 'object', 'probe must resolve to a status object');
  assert.equal(typeof status.available, 'boolean', 'status.available');
  assert.ok(Number.isInteger(status.capacity) && status.capacity >= 0, `status.capacity must be a non-negative integer, got ${String(status.capacity)}`);
  for (const key of ['decode', 'encode'] as const) {
    assert.ok(Array.isArray(status[key]) && status[key].every((c) => CODECS.has(c)), `status.${key} must list known codecs`);
  }
  assert.ok(Array.isArray(status.formats) && status.formats.every((f) => FORMATS.has(f)), 'status.formats must list mpegts/mp4');
  for (const device of status.devices ?? []) {
    assert.ok(typeof device.id === 'string' && typeof device.name === 'string' && Number.isInteger(device.capacity) && device.capacity >= 0, `malformed device ${JSON.stringify(device)}`);
  }
  if (!status.available) {
    assert.ok(typeof status.reason === 'string' && status.reason.trim().length > 0, 'an unavailable backend must say why (status.reason)');
    assert.equal(status.capacity, 0, 'an unavailable backend has capacity 0');
  }
}

async function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then((value) => ({ value }), (error: unknown) => ({ error }));
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode, what: string, assert: ConformanceAssert): Promise<void> {
  const error = await assert.rejects(promise, what);
  const got = (error as { code?: unknown } | undefined)?.code;
  assert.ok(code.is(error), `${what}: expected ${code.code}, got ${typeof got === 'string' ? got : String(error)}`);
}

/** Checks the output against the task the way a verifying gateway would: by decoding the files. */
async function checkOutput(task: TranscodeTask, output: TranscodeOutput, tools: TranscodeBackendSuiteOptions, assert: ConformanceAssert): Promise<void> {
  assert.ok(Array.isArray(output?.renditions), 'transcode must resolve to { renditions: [...] }');
  assert.equal(output.renditions.length, task.profiles.length, 'one rendition per profile');
  const dir = resolve(task.outputDir) + sep;
  for (const [i, profile] of task.profiles.entries()) {
    const r = output.renditions[i]!;
    assert.equal(r.profile, profile.name, `rendition ${i} is for profile ${profile.name} (same order as the task)`);
    assert.ok(resolve(r.path).startsWith(dir), `${profile.name}: ${r.path} must be inside the task's outputDir`);
    assert.equal(r.width, profile.width, `${profile.name}: reported width`);
    assert.equal(r.height, profile.height, `${profile.name}: reported height`);
    assert.ok(Number.isInteger(r.frames) && r.frames > 0, `${profile.name}: frames must be a positive integer, got ${r.frames}`);
    assert.equal(typeof r.pixels, 'bigint', `${profile.name}: pixels must be a bigint`);
    assert.equal(r.pixels, BigInt(r.width) * BigInt(r.height) * BigInt(r.frames), `${profile.name}: pixels = width × height × frames`);
    const probed = await probeMedia(r.path, tools);
    assert.ok(probed.video !== undefined, `${profile.name}: ffprobe finds no video stream in ${r.path}`);
    assert.equal(probed.video!.width, profile.width, `${profile.name}: ffprobe width`);
    assert.equal(probed.video!.height, profile.height, `${profile.name}: ffprobe height`);
    assert.equal(probed.video!.codec, profile.codec, `${profile.name}: ffprobe codec (${probed.video!.codecName})`);
    // go-livepeer's verifier decodes the rendition and compares pixel counts: the claim must match the file.
    assert.equal(probed.video!.frames, r.frames, `${profile.name}: reported frames vs frames ffprobe decodes`);
  }
  if (output.decodedPixels !== undefined) assert.equal(typeof output.decodedPixels, 'bigint', 'decodedPixels must be a bigint');
}

/**
 * The conformance suite every transcode backend passes (`transcode.backends`).
 * Build it with what the implementation promises here, then run it with a
 * factory giving a fresh backend per case:
 *
 *   const report = await runConformanceSuite(transcodeBackendSuite({ expect: 'available' }), () => makeBackend());
 *
 * Each case probes its backend first, as the kernel does before routing work.
 * Needs `ffmpeg` (with libx264 and aac) and `ffprobe` on PATH — or the paths
 * in the options — to generate the source and verify renditions, whatever the
 * backend under test uses. Cancellation checks child processes through /proc
 * (skipped where there is none).
 */
export function transcodeBackendSuite(options: TranscodeBackendSuiteOptions): ConformanceSuite<TranscodeBackend> {
  const ladder = options.ladder ?? CONFORMANCE_LADDER;
  if (ladder.length < 2) throw new Error('transcodeBackendSuite: the ladder needs at least two profiles');
  const media: ConformanceMedia = conformanceMedia(options);
  const signal = (): AbortSignal => new AbortController().signal;

  const task = async (kind: ConformanceInputKind, overrides: Partial<TranscodeTask> = {}): Promise<TranscodeTask> => ({
    sessionId: `conformance-${Math.random().toString(36).slice(2)}`,
    seq: 0,
    input: await media.input(kind),
    profiles: ladder,
    outputDir: await media.freshDir('out'),
    signal: signal(),
    ...overrides,
  });

  const probed = async (backend: TranscodeBackend, assert: ConformanceAssert, given?: TranscodeBackendStatus): Promise<TranscodeBackendStatus> => {
    const status = given ?? await backend.probe(signal());
    checkStatus(status, assert);
    assert.equal(status.available, options.expect === 'available', `probe says available=${status.available} (${status.reason ?? 'no reason'}), the implementation promised ${options.expect}`);
    return status;
  };

  const common: ConformanceCase<TranscodeBackend>[] = [
    {
      name: 'has a non-empty name',
      run: (backend, assert) => assert.ok(typeof backend.name === 'string' && /^[a-z0-9][a-z0-9-]*$/.test(backend.name), `name must be a lowercase slug, got ${String(backend.name)}`),
    },
    {
      name: `probe resolves with a well-formed status (${options.expect})`,
      async run(backend, assert) {
        const outcome = await settle(backend.probe(signal()));
        assert.ok('value' in outcome, `probe must never throw: ${'error' in outcome ? String(outcome.error) : ''}`);
        if ('value' in outcome) await probed(backend, assert, outcome.value);
      },
    },
    {
      name: 'probe with an aborted signal still resolves with a well-formed status',
      async run(backend, assert) {
        const controller = new AbortController();
        controller.abort();
        const outcome = await settle(backend.probe(controller.signal));
        assert.ok('value' in outcome, `probe must never throw: ${'error' in outcome ? String(outcome.error) : ''}`);
        if ('value' in outcome) checkStatus(outcome.value, assert);
      },
    },
  ];

  const unavailable: ConformanceCase<TranscodeBackend>[] = [
    {
      name: 'transcode on an unavailable backend rejects with BACKEND_UNAVAILABLE and writes nothing',
      async run(backend, assert) {
        await probed(backend, assert);
        const t = await task('source');
        await expectCode(backend.transcode(t), errors.transcode.BACKEND_UNAVAILABLE, 'transcode while unavailable', assert);
        assert.equal((await readdir(t.outputDir)).length, 0, 'no files in outputDir');
      },
    },
  ];

  const available: ConformanceCase<TranscodeBackend>[] = [
    {
      name: 'transcodes a 2 s 30 fps MPEG-TS segment into every profile of the ladder',
      async run(backend, assert) {
        await probed(backend, assert);
        const t = await task('source');
        await checkOutput(t, await backend.transcode(t), options, assert);
      },
    },
    ...(['zero-bytes', 'random-bytes', 'audio-only'] as const).map((kind): ConformanceCase<TranscodeBackend> => ({
      name: `rejects invalid input (${kind}) with INPUT_INVALID`,
      async run(backend, assert) {
        await probed(backend, assert);
        await expectCode(backend.transcode(await task(kind)), errors.transcode.INPUT_INVALID, `${kind} input`, assert);
      },
    })),
    ...([['odd', 427], ['zero', 0]] as const).map(([what, width]): ConformanceCase<TranscodeBackend> => ({
      name: `rejects a profile with ${what} width with PROFILE_INVALID`,
      async run(backend, assert) {
        await probed(backend, assert);
        const profiles = [ladder[0]!, { ...ladder[1]!, width }];
        await expectCode(backend.transcode(await task('source', { profiles })), errors.transcode.PROFILE_INVALID, `${what} width`, assert);
      },
    })),
    {
      name: 'an already-aborted task rejects with CANCELLED',
      async run(backend, assert) {
        await probed(backend, assert);
        const controller = new AbortController();
        controller.abort();
        await expectCode(backend.transcode(await task('source', { signal: controller.signal })), errors.transcode.CANCELLED, 'aborted before start', assert);
      },
    },
    {
      name: 'aborting mid-transcode rejects with CANCELLED and leaves no child process running',
      async run(backend, assert) {
        await probed(backend, assert);
        const before = new Set((await descendantProcesses())?.map((p) => p.pid));
        const controller = new AbortController();
        // A 10 s source: still transcoding when the abort lands, even on a fast machine or a slow /proc scan.
        const t = await task('long-source', { signal: controller.signal });
        let settled = false;
        const running = backend.transcode(t).finally(() => { settled = true; });
        running.catch(() => undefined);
        // Abort once the backend has started work (a new child process), or shortly after the call for backends with none.
        // Bounded by the clock too: a /proc scan on a loaded machine takes hundreds of ms, and 25 of them outlast a
        // backend without local processes (remote transcoders) that is still working.
        const waitUntil = Date.now() + 500;
        for (let i = 0; i < 25 && !settled && Date.now() < waitUntil; i++) {
          const now = await descendantProcesses();
          if (now === undefined || now.some((p) => !before.has(p.pid))) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.ok(!settled, 'the transcode settled before it could be aborted (the suite aborts once a child process appears)');
        controller.abort();
        await expectCode(running, errors.transcode.CANCELLED, 'aborted mid-transcode', assert);
        const left = (await descendantProcesses())?.filter((p) => !before.has(p.pid)) ?? [];
        assert.equal(left.map((p) => `${p.pid} ${p.command}`).join(', '), '', 'child processes still running after the rejection');
      },
    },
    {
      name: 'runs concurrent tasks up to its capacity, all succeeding',
      async run(backend, assert) {
        const status = await probed(backend, assert);
        assert.ok(status.capacity >= 1, 'an available backend has capacity ≥ 1');
        const n = Math.min(status.capacity, options.maxConcurrent ?? 2);
        const tasks = await Promise.all(Array.from({ length: n }, (_, seq) => task('source', { seq })));
        const outputs = await Promise.all(tasks.map((t) => backend.transcode(t)));
        for (const [i, t] of tasks.entries()) await checkOutput(t, outputs[i]!, options, assert);
      },
    },
  ];

  return defineConformanceSuite<TranscodeBackend>({
    extensionPoint: 'transcode.backends',
    cases: [...common, ...(options.expect === 'available' ? available : unavailable)],
  });
}
