/**
 * The kernel's BullMQ processor for `video/transcode`: takes a job, fetches
 * the segment from the blob store (this disk, or the storing node over HTTP)
 * into a temp dir, runs it on a backend with room, checks the output, stores
 * each rendition as a blob owned by the job (retention deletes it with the
 * job) and returns references with pixels and keccak256 hashes, so the
 * orchestrator can sign without downloading anything.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { errors, isLpxError, type JobContext, type JobProcessor, type TranscodeBackend, type TranscodeBackendStatus, type TranscodeOutput } from '@lpx/sdk';
import type { BlobStore } from '../blobs/index.js';
import { keccak256 } from '../payments/crypto/keccak256.js';
import type { BackendPicker } from './backend-picker.js';
import { checkProfiles } from './profile-convert.js';
import { checkRenditions } from './rendition-check.js';
import type { TranscodeMetrics } from './transcode-metrics.js';
import { transcodeTimeoutMs, type RenditionRef, type TranscodeJobData, type TranscodeJobResult } from './transcode-job.js';

export interface TranscodeProcessorDeps {
  readonly store: BlobStore;
  readonly picker: BackendPicker;
  readonly backends: (name: string) => TranscodeBackend | undefined;
  readonly statuses: () => ReadonlyMap<string, TranscodeBackendStatus>;
  /** The blob owner for a job's renditions (the job's Redis key, as the jobs kernel names its own blobs). */
  readonly ownerOf: (jobId: string) => string;
  readonly metrics: TranscodeMetrics;
  readonly logger: Logger;
  /** Where temp dirs go (default the OS temp dir). */
  readonly workDir?: string;
}

const CONTENT_TYPES = { mpegts: 'video/mp2t', mp4: 'video/mp4' } as const;
const EXTENSIONS = { mpegts: 'ts', mp4: 'mp4' } as const;

function coded(error: unknown, signal: AbortSignal, timedOut: boolean, timeoutMs: number): Error {
  if (signal.aborted) {
    const why = timedOut ? `timed out after ${timeoutMs} ms` : 'was cancelled (the worker is closing)';
    return errors.transcode.CANCELLED.create(`the transcode ${why}`, { cause: error });
  }
  if (isLpxError(error)) return error;
  return errors.transcode.FAILED.create(`the backend failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Rejects when `signal` aborts even if the backend ignores it: a stuck encoder must not hold the worker. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function fetchSource(store: BlobStore, data: TranscodeJobData, path: string, signal: AbortSignal): Promise<number> {
  let opened;
  try {
    opened = await store.open(data.source, signal);
  } catch (error) {
    throw errors.transcode.INPUT_INVALID.create(`the segment ${data.source.id} cannot be read from the blob store: ${(error as Error).message}`, { cause: error });
  }
  await pipeline(opened.stream, createWriteStream(path), { signal });
  const size = (await stat(path)).size;
  if (size === 0) throw errors.transcode.INPUT_INVALID.create('the segment is empty (0 bytes)');
  return size;
}

export function createTranscodeProcessor(deps: TranscodeProcessorDeps): JobProcessor<TranscodeJobData, TranscodeJobResult> {
  return async (job: JobContext<TranscodeJobData>): Promise<TranscodeJobResult> => {
    const data = job.data;
    const timeoutMs = transcodeTimeoutMs(data.durationMs);
    // A plain timer, not AbortSignal.timeout: that one is unref'd and would not hold a task open.
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, timeoutMs);
    const signal = AbortSignal.any([job.signal, deadline.signal]);
    const started = performance.now();
    let backendName = 'none';
    let dir: string | undefined;
    try {
      checkProfiles(data.profiles);
      backendName = deps.picker.acquire(data.sessionId, data.profiles, deps.statuses());
      try {
        const backend = deps.backends(backendName)!;
        dir = await mkdtemp(join(deps.workDir ?? tmpdir(), 'lpx-transcode-'));
        const outputDir = join(dir, 'out');
        await mkdir(outputDir);
        const input = join(dir, `source.${EXTENSIONS[data.format] ?? 'ts'}`);
        const sizeBytes = await fetchSource(deps.store, data, input, signal);
        const output: TranscodeOutput = await untilAborted(
          Promise.resolve().then(() =>
            backend.transcode({
              sessionId: data.sessionId,
              seq: Number(data.seq),
              input: { path: input, format: data.format, sizeBytes, durationMs: data.durationMs },
              profiles: data.profiles,
              outputDir,
              signal,
            }),
          ),
          signal,
        );
        const renditions = await checkRenditions(output, data.profiles, outputDir);
        const refs: RenditionRef[] = [];
        for (const [i, r] of renditions.entries()) {
          const profile = data.profiles[i]!;
          const bytes = await readFile(r.path);
          const blob = await deps.store.put(bytes, { contentType: CONTENT_TYPES[profile.format] ?? 'application/octet-stream', owner: deps.ownerOf(job.id) });
          refs.push({ profile: profile.name, blob, pixels: r.pixels.toString(), width: r.width, height: r.height, keccak256: Buffer.from(keccak256(bytes)).toString('hex') });
        }
        deps.metrics.segment(backendName, 'ok', (performance.now() - started) / 1000);
        return { renditions: refs, backend: backendName };
      } finally {
        deps.picker.release(backendName);
      }
    } catch (thrown) {
      const error = coded(thrown, signal, timedOut, timeoutMs);
      const outcome = errors.transcode.CANCELLED.is(error) ? 'cancelled' : errors.transcode.RESULT_INVALID.is(error) ? 'invalid' : 'error';
      deps.metrics.segment(backendName, outcome, (performance.now() - started) / 1000);
      deps.logger.warn({ jobId: job.id, sessionId: data.sessionId, seq: data.seq, backend: backendName, err: error }, 'transcode failed');
      if (!isLpxError(error)) throw error;
      return { error: { code: error.code, message: error.message } };
    } finally {
      clearTimeout(timer);
      if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  };
}
