/**
 * The kernel's BullMQ processor for `ai/<pipeline>` on worker nodes: takes
 * a validated request, fetches its uploads from the blob store, runs it on
 * an executor that offers the model with room (the next one when an
 * executor answers NO_CAPACITY), stores result files as blobs owned by the
 * job and returns their references — or relays an LLM stream through Redis
 * while the job stays active, so capacity is held until the stream ends.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errors, isLpxError, type AIExecutor, type AIPipeline, type AIPipelineRequest, type AIPipelineResult, type AIRequestBody, type JobContext, type JobProcessor } from '@lpx/sdk';
import type { BlobStore } from '../blobs/index.js';
import type { AIJobData, AIJobFile, AIJobResult } from './ai-job.js';
import type { AIMetrics } from './ai-metrics.js';
import { relayKey, RelayWriter } from '../jobs/stream-relay.js';
import type { ExecutorPicker } from './executor-picker.js';

export interface AIProcessorDeps {
  readonly store: BlobStore;
  readonly picker: ExecutorPicker;
  readonly pipeline: (name: string) => AIPipeline | undefined;
  readonly ownerOf: (capabilityId: string, jobId: string) => string;
  /** Redis commands connection for the stream relay. */
  readonly relay: () => Promise<Redis>;
  readonly prefix: string;
  /** Cancels of running jobs by id, so an orchestrator whose caller left can stop them. */
  readonly running: Map<string, () => void>;
  readonly metrics: AIMetrics;
  readonly logger: Logger;
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return new Uint8Array(Buffer.concat(chunks));
}

async function requestOf(data: AIJobData, store: BlobStore, signal: AbortSignal): Promise<AIPipelineRequest> {
  let body: AIRequestBody;
  if (data.body.kind === 'json') body = data.body;
  else {
    const files = [];
    for (const file of data.body.files) {
      const opened = await store.open(file.blob, signal);
      files.push({ field: file.field, ...(file.filename !== undefined ? { filename: file.filename } : {}), ...(file.contentType !== undefined ? { contentType: file.contentType } : {}), data: await readAll(opened.stream) });
    }
    body = { kind: 'multipart', fields: data.body.fields, files };
  }
  return { pipeline: data.pipeline, modelId: data.modelId, body, stream: data.stream, measures: data.measures };
}

/** Rejects when `signal` aborts even if the executor ignores it: a hung runner must not hold the worker. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function coded(error: unknown, signal: AbortSignal, why: () => string | undefined): Error {
  const reason = why();
  if (reason === 'timeout') return errors.ai.RUNNER_TIMEOUT.create('the runner did not answer in time', { cause: error });
  if (signal.aborted) return errors.ai.CANCELLED.create(reason === 'cancel' ? 'the caller went away' : 'the worker is closing', { cause: error });
  if (isLpxError(error)) return error;
  return errors.ai.RUNNER_FAILED.create(`the executor failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

export function createAIProcessor(deps: AIProcessorDeps): JobProcessor<AIJobData, AIJobResult> {
  return async (job: JobContext<AIJobData>): Promise<AIJobResult> => {
    const data = job.data;
    const started = performance.now();
    const controller = new AbortController();
    let why: string | undefined;
    const timer = setTimeout(() => {
      why ??= 'timeout';
      controller.abort();
    }, data.timeoutMs);
    const onClose = () => controller.abort();
    job.signal.addEventListener('abort', onClose, { once: true });
    const signal = controller.signal;
    deps.running.set(job.id, () => {
      why ??= 'cancel';
      controller.abort();
    });
    let executorName = 'none';
    const releases: (() => void)[] = [];
    try {
      const pipeline = deps.pipeline(data.pipeline);
      if (pipeline === undefined) throw errors.ai.PIPELINE_UNKNOWN.create(`this worker has no "${data.pipeline}" pipeline plugin`);
      const request = await requestOf(data, deps.store, signal);
      const candidates = deps.picker.candidates(data.pipeline, data.modelId);
      if (candidates.length === 0) throw errors.ai.NO_CAPACITY.create('insufficient capacity', { details: { pipeline: data.pipeline, model: data.modelId } });
      let result: AIPipelineResult | undefined;
      let lastRefusal: unknown;
      for (const executor of candidates) {
        const release = deps.picker.acquire(executor.name, data.pipeline, data.modelId);
        try {
          result = await untilAborted(Promise.resolve().then(() => (executor as AIExecutor).execute({ requestId: data.requestId, pipeline, request, signal })), signal);
          executorName = executor.name;
          releases.push(release);
          break;
        } catch (error) {
          release();
          if (!errors.ai.NO_CAPACITY.is(error) || signal.aborted) throw error;
          lastRefusal = error;
        }
      }
      if (result === undefined) throw lastRefusal ?? errors.ai.NO_CAPACITY.create('insufficient capacity');
      if (result.kind === 'stream') {
        const writer = new RelayWriter(await deps.relay(), relayKey(deps.prefix, job.id));
        await writer.append({ t: 'start', executor: executorName });
        let events = 0;
        try {
          for await (const event of untilAbortedIterable(result.events, signal)) {
            await writer.append({ t: 'data', d: event });
            events++;
          }
        } catch (thrown) {
          const error = coded(thrown, signal, () => why);
          await writer.append({ t: 'error', code: (error as { code?: string }).code ?? 'LPX_ERR_AI_RUNNER_FAILED', message: error.message }).catch(() => undefined);
          deps.metrics.request(data.pipeline, data.modelId, executorName, 'error', (performance.now() - started) / 1000);
          return { kind: 'stream', executor: executorName, events };
        }
        await writer.append({ t: 'end' });
        deps.metrics.request(data.pipeline, data.modelId, executorName, 'ok', (performance.now() - started) / 1000);
        return { kind: 'stream', executor: executorName, events };
      }
      const files: AIJobFile[] = [];
      for (const file of result.files) {
        const blob = await deps.store.put(file.data, { contentType: file.contentType, owner: deps.ownerOf(job.capabilityId, job.id) });
        files.push({ name: file.name, blob });
      }
      deps.metrics.request(data.pipeline, data.modelId, executorName, 'ok', (performance.now() - started) / 1000);
      return { kind: 'json', json: result.json, files, executor: executorName };
    } catch (thrown) {
      const error = coded(thrown, signal, () => why);
      const outcome = errors.ai.CANCELLED.is(error) ? 'cancelled' : errors.ai.NO_CAPACITY.is(error) ? 'no_capacity' : 'error';
      deps.metrics.request(data.pipeline, data.modelId, executorName, outcome, (performance.now() - started) / 1000);
      deps.logger.warn({ jobId: job.id, requestId: data.requestId, pipeline: data.pipeline, model: data.modelId, executor: executorName, err: error }, 'AI request failed');
      if (!isLpxError(error)) throw error;
      return { error: { code: error.code, message: error.message } };
    } finally {
      clearTimeout(timer);
      job.signal.removeEventListener('abort', onClose);
      deps.running.delete(job.id);
      for (const release of releases) release();
    }
  };
}

/** Iterates `events`, throwing as soon as `signal` aborts (a runner that stops sending must not hold the stream). */
async function* untilAbortedIterable<T>(events: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = events[Symbol.asyncIterator]();
  try {
    while (true) {
      const next = await untilAborted(iterator.next(), signal);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
