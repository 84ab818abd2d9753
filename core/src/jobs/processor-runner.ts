import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { JobContext, JobProcessor, JobStream } from '@lpx/sdk';
import type { Redis } from 'ioredis';
import { relayKey, RelayWriter } from './stream-relay.js';
import type { JobBlobs } from './job-blobs.js';
import type { JobsMetrics } from './jobs-metrics.js';

export interface RunnerHooks {
  metrics: JobsMetrics;
  /** Resolves referenced input before the processor runs and offloads a large result after. */
  blobs?: JobBlobs | undefined;
  /** Publishes a non-final failure so onEvent listeners everywhere see retries, not only the last failure. */
  announceRetry(jobId: string, reason: string, attemptsMade: number): Promise<void>;
  /** Where JobContext.stream writes (the submitter reads it with a RelayReader on the same key). */
  relay?: { readonly connection: Redis; readonly prefix: string } | undefined;
  /** Says on the queue's events that a job's stream is open, so a submitter opens its reader only then. */
  announceStream?(jobId: string): Promise<void>;
  /** The processor returned here without opening a stream (before the result is written to Redis). */
  answeredWhole?(jobId: string): void;
}

/**
 * A job's stream: `start` (with the headers) before the first line, one
 * `data` entry ({ line }) per line, then `end`. The opening is announced
 * after `start` is in Redis, so a reader told about it finds it.
 */
function jobStream(hooks: RunnerHooks, jobId: string, headers: Readonly<Record<string, string>> | undefined): JobStream {
  const relay = hooks.relay!;
  const writer = new RelayWriter(relay.connection, relayKey(relay.prefix, jobId));
  const started = writer
    .append({ t: 'start', executor: '', ...(headers !== undefined ? { headers: { ...headers } } : {}) })
    .then(() => hooks.announceStream?.(jobId));
  // Awaited by the first write; until then its failure must not count as unhandled.
  started.catch(() => undefined);
  return {
    write: async (line) => {
      await started;
      await writer.append({ t: 'data', d: { line } });
    },
    end: async () => {
      await started;
      await writer.append({ t: 'end' });
    },
  };
}

const neverAborted = new AbortController().signal;

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}

/**
 * What running an attempt needs of a job: a BullMQ Job has all of it, and so
 * has a synchronous job run in this process without the queue (ADR 0067).
 */
export type RunnableJob<Input> = Pick<Job<Input>, 'id' | 'data' | 'attemptsMade' | 'queueQualifiedName' | 'updateProgress'> & { readonly opts: { readonly attempts?: number | undefined } };

/**
 * Adapts a plugin's JobProcessor to a BullMQ processor. The third parameter
 * matters: BullMQ only creates an AbortSignal for processors that declare it.
 */
export function toBullProcessor<Input, Output>(
  capabilityId: string,
  processor: JobProcessor<Input, Output>,
  hooks: RunnerHooks,
): Processor<Input, Output> {
  return (job: Job<Input, Output>, _token?: string, signal?: AbortSignal): Promise<Output> => runAttempt(capabilityId, processor, hooks, job, signal, true);
}

/**
 * One attempt of a job: the processor with its context, the observer told of
 * the start and the outcome, a retry announced. `storeResult` false leaves a
 * large result in memory (a job run in this process hands it straight over).
 */
export async function runAttempt<Input, Output>(
  capabilityId: string,
  processor: JobProcessor<Input, Output>,
  hooks: RunnerHooks,
  job: RunnableJob<Input>,
  signal: AbortSignal | undefined,
  storeResult: boolean,
): Promise<Output> {
  const started = performance.now();
  const attempt = job.attemptsMade + 1;
  const { blobs } = hooks;
  const jobSignal = signal ?? neverAborted;
  hooks.metrics.started(capabilityId, job.id ?? '', attempt);
  let streamed = false;
  try {
    const context: JobContext<Input> = {
      id: job.id ?? '',
      capabilityId,
      data: blobs?.needsDecoding(job.data) ? ((await blobs.decode(job.data, jobSignal)) as Input) : job.data,
      attempt,
      progress: (value) => job.updateProgress(value),
      signal: jobSignal,
      ...(hooks.relay === undefined
        ? {}
        : {
            stream: (headers?: Readonly<Record<string, string>>) => {
              streamed = true;
              return jobStream(hooks, job.id ?? '', headers);
            },
          }),
    };
    const result = await processor(context);
    const stored = blobs && storeResult ? ((await blobs.encode(result, () => `${job.queueQualifiedName}:${job.id}`)).value as Output) : result;
    hooks.metrics.completed(capabilityId, (performance.now() - started) / 1000, job.id ?? '', attempt);
    if (!streamed) hooks.answeredWhole?.(job.id ?? '');
    return stored;
  } catch (thrown) {
    const error = asError(thrown);
    const final = error instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
    hooks.metrics.failed(capabilityId, (performance.now() - started) / 1000, final, job.id ?? '', attempt, error.message);
    if (!final) await hooks.announceRetry(job.id ?? '', error.message, attempt).catch(() => undefined);
    throw error;
  }
}
