/**
 * go-livepeer's RemoteAIWorkerManager for lpx: remote AI workers register
 * over `net.AIWorker/RegisterAIWorker` and stay in the pool while that call is
 * open; dispatch() picks one (first fit per model, sticky per request id),
 * pushes a NotifyAIJob down its stream and waits for the worker's POST to
 * /aiResults. A worker that cannot be sent the job, or disconnects while
 * running it, is dropped and the job retried on another; one that times out
 * is dropped and the job fails (the gateway has likely moved on).
 */
import { isVersionCompatible } from '../../capabilities/index.js';
import { secretMatches } from '../../http/secret-match.js';
import type { HardwareInformation } from '../wire/types.js';
import type { RegisterAIWorkerRequest } from './ai-worker-codec.js';
import type { AIResult, WorkerOutcome } from './ai-result.js';
import { FileStore, type FileStoreOptions } from './file-store.js';
import { encodeRequestData, isAIPipeline, workerRequest } from './job-request.js';
import { aiWorkerErrors } from './remote-ai-errors.js';
import { RemoteAIWorker, type JobSink } from './remote-ai-worker.js';
import { storeResultFiles } from './result-files.js';
import { TaskTable } from './task-table.js';
import { workerModelsFrom } from './worker-models.js';
import { WorkerRoster, type CapacityListener, type Lease } from './worker-roster.js';

/** go-livepeer's aiWorkerRequestTimeout. */
export const DEFAULT_AI_WORKER_TIMEOUT_MS = 15 * 60_000;
/** go-livepeer's errSecret and ErrRemoteWorkerTimeout texts. */
export const SECRET_INVALID_TEXT = 'invalid secret';
export const WORKER_TIMEOUT_TEXT = 'Remote worker took too long';

export interface RemoteAIWorkerPoolOptions {
  /** The orchestrator secret (`-orchSecret`); unset refuses every worker. */
  readonly secret: string | (() => string | undefined) | undefined;
  /** This orchestrator's public base URL (OrchestratorInfo.transcoder); stored files are served under it. */
  readonly serviceUri: () => string;
  /** Workers reporting an older version are not connected; go-livepeer uses its own version here. Default: none. */
  readonly minWorkerVersion?: string;
  readonly timeoutMs?: number;
  readonly files?: FileStoreOptions;
  readonly onCapacityChange?: CapacityListener;
  readonly onEvent?: (event: RemoteAIEvent) => void;
}

export type RemoteAIEvent =
  | { readonly kind: 'registered'; readonly addr: string; readonly version: string }
  | { readonly kind: 'refused'; readonly addr: string; readonly error: Error }
  | { readonly kind: 'removed'; readonly addr: string; readonly reason: 'disconnected' | 'timeout' | 'send-failed' | 'closed' };

export interface AIJob {
  /** The gateway request this job serves; jobs sharing one stay on one worker. */
  readonly requestId: string;
  /** go-livepeer pipeline name, e.g. `text-to-image` (the lpx id without `ai/`). */
  readonly pipeline: string;
  readonly modelId: string;
  /** The pipeline's request JSON (ai-runner schema); its model field is filled in when missing. */
  readonly request: unknown;
  /** The binary input (image or audio) of a multipart pipeline; the worker downloads it from `input_url`. */
  readonly input?: { readonly body: Uint8Array; readonly contentType?: string };
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export class RemoteAIWorkerPool {
  readonly files: FileStore;
  private readonly roster = new WorkerRoster();
  private readonly tasks = new TaskTable();
  private nextWorkerId = 1;
  private closed = false;

  constructor(private readonly options: RemoteAIWorkerPoolOptions) {
    this.files = new FileStore(options.files);
    if (options.onCapacityChange !== undefined) this.roster.onCapacityChange(options.onCapacityChange);
  }

  onCapacityChange(listener: CapacityListener): () => void {
    return this.roster.onCapacityChange(listener);
  }

  /** Registered workers' slots for the model: what the orchestrator advertises. */
  capacity(pipeline: string, modelId: string): number {
    return this.roster.capacity(pipeline, modelId);
  }

  /** Whether a job for the model would find a free worker now (go-livepeer's pre-payment capacity check). */
  hasCapacity(pipeline: string, modelId: string): boolean {
    return this.roster.hasCapacity(pipeline, modelId);
  }

  /** Every registered worker's hardware, for OrchestratorInfo.hardware. */
  hardware(): HardwareInformation[] {
    return this.roster.hardware();
  }

  get workerCount(): number {
    return this.roster.list.length;
  }

  /** The secret as `/aiResults` must check it. */
  secret(): string | undefined {
    const secret = typeof this.options.secret === 'function' ? this.options.secret() : this.options.secret;
    return secret === '' ? undefined : secret;
  }

  /**
   * A worker's RegisterAIWorker call. Throws SECRET_INVALID (refuse the call);
   * returns undefined for an incompatible version (end the call with OK, as
   * go-livepeer does); otherwise the worker, now in the pool until remove().
   */
  register(request: RegisterAIWorkerRequest, sink: JobSink, addr: string): RemoteAIWorker | undefined {
    if (this.closed) {
      // Not the secret text: a go-livepeer worker gives up for good on that one, and should come back once we restart.
      const error = aiWorkerErrors.POOL_CLOSED.create('remote AI worker pool is closed');
      this.options.onEvent?.({ kind: 'refused', addr, error });
      throw error;
    }
    const expected = this.secret();
    if (!secretMatches(request.secret, expected)) {
      const error = aiWorkerErrors.SECRET_INVALID.create(SECRET_INVALID_TEXT, { details: { addr } });
      this.options.onEvent?.({ kind: 'refused', addr, error });
      throw error;
    }
    // No capabilities means a legacy worker: go-livepeer's defaults, which hold no AI models.
    const version = request.capabilities?.version ?? '';
    if (!isVersionCompatible(this.options.minWorkerVersion, version)) {
      const error = aiWorkerErrors.VERSION_INCOMPATIBLE.create(`worker ${addr} not connected, version not compatible`, {
        details: { addr, version, minVersion: this.options.minWorkerVersion },
      });
      this.options.onEvent?.({ kind: 'refused', addr, error });
      return undefined;
    }
    const worker = new RemoteAIWorker(this.nextWorkerId++, addr, version, workerModelsFrom(request.capabilities), request.hardware, sink);
    this.roster.add(worker);
    this.options.onEvent?.({ kind: 'registered', addr, version });
    return worker;
  }

  /** Takes a worker out (its call ended, or we gave up on it); its running jobs move to other workers. */
  remove(worker: RemoteAIWorker, reason: Extract<RemoteAIEvent, { kind: 'removed' }>['reason'] = 'disconnected'): void {
    if (!this.roster.remove(worker)) return;
    this.tasks.failWorker(worker, aiWorkerErrors.WORKER_LOST.create(`remote AI worker ${worker.addr} went away (${reason})`));
    this.options.onEvent?.({ kind: 'removed', addr: worker.addr, reason });
  }

  /** For /aiResults: the pipeline of a task still waiting for its worker. */
  pendingPipeline(taskId: bigint): string | undefined {
    return this.tasks.pipelineOf(taskId);
  }

  /** For /aiResults: false when the task is not pending (the caller drops the result). */
  deliver(taskId: bigint, outcome: WorkerOutcome): boolean {
    return this.tasks.deliver(taskId, outcome);
  }

  async dispatch(job: AIJob): Promise<AIResult> {
    if (this.closed) throw aiWorkerErrors.POOL_CLOSED.create('remote AI worker pool is closed');
    if (!isAIPipeline(job.pipeline)) throw aiWorkerErrors.REQUEST_INVALID.create(`unknown AI pipeline ${JSON.stringify(job.pipeline)}`);
    if (job.modelId === '') throw aiWorkerErrors.REQUEST_INVALID.create(`${job.pipeline} job has no model id`);
    const request = workerRequest(job.pipeline, job.modelId, job.request, job.input !== undefined);
    const input = job.input === undefined ? undefined : this.files.put('input.tempfile', job.input.contentType ?? 'application/octet-stream', job.input.body);
    const requestData = encodeRequestData(input === undefined ? '' : this.baseUrl() + input.path, request);
    try {
      for (;;) {
        if (this.closed) throw aiWorkerErrors.POOL_CLOSED.create('remote AI worker pool is closed');
        if (job.signal?.aborted) throw aiWorkerErrors.CANCELLED.create(`${job.pipeline} job abandoned by its caller`);
        const lease = this.roster.select(job.requestId, job.pipeline, job.modelId);
        try {
          return await this.runOn(lease, job, requestData);
        } catch (error) {
          // The worker is out of the pool already; the next select() skips it.
          if (aiWorkerErrors.WORKER_LOST.is(error)) continue;
          throw error;
        }
      }
    } finally {
      if (input !== undefined) this.files.delete(input.path);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Fail the jobs first: failing them through remove() would send them looking for another worker.
    this.tasks.failAll(aiWorkerErrors.POOL_CLOSED.create('remote AI worker pool is closed'));
    for (const worker of [...this.roster.list]) this.remove(worker, 'closed');
    this.files.clear();
  }

  private baseUrl(): string {
    return this.options.serviceUri().replace(/\/+$/, '');
  }

  /** One attempt on one worker; the lease is released when the job is over (for a stream, when it ends). */
  private async runOn(lease: Lease, job: AIJob, requestData: Uint8Array): Promise<AIResult> {
    const { worker } = lease;
    const { taskId, outcome } = this.tasks.open(worker, job.pipeline);
    const timeoutMs = job.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_AI_WORKER_TIMEOUT_MS;
    const timer = setTimeout(() => {
      this.tasks.fail(taskId, aiWorkerErrors.TIMEOUT.create(WORKER_TIMEOUT_TEXT, { details: { taskId: taskId.toString(), addr: worker.addr } }));
      this.remove(worker, 'timeout');
    }, timeoutMs);
    const onAbort = (): void => this.tasks.fail(taskId, aiWorkerErrors.CANCELLED.create(`${job.pipeline} job abandoned by its caller`));
    job.signal?.addEventListener('abort', onAbort, { once: true });
    let streaming = false;
    try {
      try {
        await worker.send({ taskId, aiJobData: { pipeline: job.pipeline, requestData } });
      } catch (error) {
        this.tasks.fail(taskId, error as Error);
        this.remove(worker, 'send-failed');
      }
      const answer = await outcome;
      if (answer.kind === 'error') throw answer.error;
      if (answer.kind === 'stream') {
        streaming = true;
        answer.chunks.onFinish(() => lease.release());
        return { kind: 'stream', chunks: answer.chunks };
      }
      return storeResultFiles(job.pipeline, answer.json, answer.files, this.files, this.baseUrl());
    } finally {
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', onAbort);
      if (!streaming) lease.release();
    }
  }
}
