/**
 * The orchestrator's side of an AI request once it is admitted and paid:
 * uploads go to the blob store, the request becomes a job on the
 * pipeline's queue, and the answer is the worker's result — files as blob
 * references — or, for a streaming LLM request, the events relayed through
 * the request's Redis stream as the worker appends them. A caller that goes
 * away cancels the job on whichever worker runs it.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { aiCapabilityId, errors, listErrorCodes, type AIPipelineRequest, type JobsService, type LpxError } from '@lpx/sdk';
import type { BlobStore } from '../blobs/index.js';
import { aiJobId, type AIJobBody, type AIJobData, type AIJobFile, type AIJobResult } from './ai-job.js';
import { openRelay, relayKey, RelayReader } from '../jobs/stream-relay.js';

/** Queueing and blob round trips on top of the worker's own timeout. */
const WAIT_SLACK_MS = 5_000;

export type AIRunOutcome =
  | { readonly kind: 'json'; readonly json: unknown; readonly files: readonly AIJobFile[]; readonly executor: string }
  | { readonly kind: 'stream'; readonly executor: string; readonly events: AsyncIterable<Readonly<Record<string, unknown>>> };

export interface AIRunInput {
  readonly requestId: string;
  readonly request: AIPipelineRequest;
  /** Aborted when the caller goes away. */
  readonly signal: AbortSignal;
}

export interface AIDispatchDeps {
  readonly jobs: JobsService;
  readonly store: BlobStore;
  readonly prefix: string;
  readonly timeoutMs: number;
  readonly ownerOf: (capabilityId: string, jobId: string) => string;
  /** A fresh connection for one stream's blocking reads (closed by the reader). */
  readonly blockingConnection: () => Promise<Redis>;
  readonly cancel: (jobId: string) => void;
  readonly logger: Logger;
}

const CODES = new Map(listErrorCodes().map((code) => [code.code, code]));

/** A coded failure from the worker, rebuilt with its code (and status) intact. */
export function errorFromResult(error: { code: string; message: string }): LpxError {
  return (CODES.get(error.code) ?? errors.ai.RUNNER_FAILED).create(error.message);
}

async function jobBody(request: AIPipelineRequest, deps: AIDispatchDeps, owner: string): Promise<AIJobBody> {
  const body = request.body;
  if (body.kind === 'json') return body;
  const files = [];
  for (const file of body.files) {
    const blob = await deps.store.put(file.data, { contentType: file.contentType ?? 'application/octet-stream', owner });
    files.push({ field: file.field, ...(file.filename !== undefined ? { filename: file.filename } : {}), ...(file.contentType !== undefined ? { contentType: file.contentType } : {}), blob });
  }
  return { kind: 'multipart', fields: body.fields, files };
}

export function aiDispatcher(deps: AIDispatchDeps): (input: AIRunInput) => Promise<AIRunOutcome> {
  return async ({ requestId, request, signal }) => {
    const capabilityId = aiCapabilityId(request.pipeline);
    const jobId = aiJobId(requestId);
    const body = await jobBody(request, deps, deps.ownerOf(capabilityId, jobId));
    const data: AIJobData = { requestId, pipeline: request.pipeline, modelId: request.modelId, stream: request.stream, measures: request.measures, body, timeoutMs: deps.timeoutMs };
    const onAbort = () => deps.cancel(jobId);
    signal.addEventListener('abort', onAbort, { once: true });
    const cleanup = async () => {
      signal.removeEventListener('abort', onAbort);
      if (body.kind === 'multipart') for (const file of body.files) await deps.store.delete(file.blob.id).catch(() => false);
    };
    const done = deps.jobs.submitAndWait<AIJobData, AIJobResult>(capabilityId, data, { jobId, attempts: 1, timeoutMs: deps.timeoutMs + WAIT_SLACK_MS });
    if (!request.stream) {
      try {
        return fromResult(await done);
      } finally {
        await cleanup();
      }
    }
    return relayed(deps, jobId, done, cleanup);
  };
}

function fromResult(result: AIJobResult): AIRunOutcome & { kind: 'json' } {
  if ('error' in result) throw errorFromResult(result.error);
  if (result.kind === 'stream') throw errors.ai.RESULT_INVALID.create('the worker streamed a request that was not relayed');
  return result;
}

/** A streaming request: the worker's events as it appends them to the request's stream (see openRelay). */
async function relayed(deps: AIDispatchDeps, jobId: string, done: Promise<AIJobResult>, cleanup: () => Promise<void>): Promise<AIRunOutcome> {
  const connection = await deps.blockingConnection();
  const reader = new RelayReader(connection, relayKey(deps.prefix, jobId));
  const close = async () => {
    await reader.remove().catch(() => undefined);
    connection.disconnect();
    await cleanup();
  };
  const opening = await openRelay(reader, done, close, () => errors.ai.RUNNER_FAILED.create('the worker ended the job before the stream ended'));
  if (opening.kind === 'result') return fromResult(opening.result);
  const { first, rest } = opening;
  if (first.t === 'error') throw errorFromResult(first);
  if (first.t !== 'start') throw errors.ai.RESULT_INVALID.create(`the worker's stream began with "${first.t}"`);
  async function* events(): AsyncGenerator<Readonly<Record<string, unknown>>> {
    for await (const entry of rest) {
      if (entry.t === 'data') yield entry.d;
      else if (entry.t === 'error') throw errorFromResult(entry);
    }
  }
  return { kind: 'stream', executor: first.executor, events: events() };
}
