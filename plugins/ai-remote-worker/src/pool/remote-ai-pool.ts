/**
 * go-livepeer's RemoteAIWorkerManager: workers register over
 * `net.AIWorker/RegisterAIWorker` and stay in the pool while that call is
 * open; dispatch() picks one (first fit per model, sticky per request id),
 * pushes a NotifyAIJob down its stream and waits for the worker's POST to
 * /aiResults. A worker that cannot be sent the job, or disconnects while
 * running it, is dropped and the job retried on another; one that times out
 * is dropped and the job fails (the gateway has likely moved on).
 */
import { errors } from '@lpx/sdk';
import semver from 'semver';
import type { NotifyAIJob, RegisterAIWorkerRequest, WorkerHardware } from '../wire/ai-worker-messages.js';
import { DEFAULT_AI_WORKER_TIMEOUT_MS, WIRE_TEXT } from '../wire/wire-texts.js';
import { RemoteAIWorker, type JobSink } from './remote-ai-worker.js';
import { TaskTable } from './task-table.js';
import type { WorkerModel } from './worker-models.js';
import { workerModelsFrom } from './worker-models.js';
import type { WorkerOutcome } from './worker-outcome.js';
import { WorkerRoster, type Lease } from './worker-roster.js';

export interface RemoteAIWorkerPoolOptions {
  /** Constant-time check against orchestrator.secret; false when none is set. */
  readonly checkSecret: (given: string) => boolean;
  /** Workers reporting an older version are not connected (go-livepeer uses its own version). Default: none. */
  readonly minWorkerVersion?: string;
  readonly timeoutMs?: number;
  readonly onEvent?: (event: RemoteAIEvent) => void;
}

export type RemoteAIEvent =
  | { readonly kind: 'registered'; readonly addr: string; readonly version: string; readonly models: number }
  | { readonly kind: 'refused'; readonly addr: string; readonly error: Error }
  | { readonly kind: 'removed'; readonly addr: string; readonly reason: 'disconnected' | 'timeout' | 'send-failed' | 'closed' };

export interface AIJob {
  /** The gateway request this job serves; jobs sharing one stay on one worker. */
  readonly requestId: string;
  readonly pipeline: string;
  readonly modelId: string;
  /** NotifyAIJob.AIJobData.requestData. */
  readonly requestData: Uint8Array;
  readonly signal?: AbortSignal;
}

/** What a job ends with; for a stream, the worker's slot is held until the stream finishes. */
export type JobResult = Exclude<WorkerOutcome, { kind: 'error' }>;

/** go-livepeer compares the release numbers only (hashicorp/go-version on the core). */
function versionCompatible(minVersion: string | undefined, version: string): boolean {
  if (minVersion === undefined || minVersion === '') return true;
  const min = semver.coerce(minVersion);
  if (min === null) return true;
  const actual = semver.coerce(version);
  return actual !== null && semver.gte(actual, min);
}

export class RemoteAIWorkerPool {
  private readonly roster = new WorkerRoster();
  private readonly tasks = new TaskTable();
  private closed = false;

  constructor(private readonly options: RemoteAIWorkerPoolOptions) {}

  /** Called after every join and departure. */
  onChange(listener: () => void): () => void {
    return this.roster.onChange(listener);
  }

  /** Registered models with capacities summed over workers. */
  models(): WorkerModel[] {
    return this.roster.models();
  }

  hardware(): WorkerHardware[] {
    return this.roster.list.flatMap((worker) => worker.hardware);
  }

  get workerCount(): number {
    return this.roster.list.length;
  }

  get pendingCount(): number {
    return this.tasks.size;
  }

  /**
   * A worker's RegisterAIWorker call. Throws SECRET_INVALID (refuse the call);
   * returns undefined for an incompatible version (end the call with OK, as
   * go-livepeer does); otherwise the worker, in the pool until remove().
   */
  register(request: RegisterAIWorkerRequest, sink: JobSink, addr: string): RemoteAIWorker | undefined {
    const refuse = (error: Error): never => {
      this.options.onEvent?.({ kind: 'refused', addr, error });
      throw error;
    };
    // Not the secret text: a go-livepeer worker gives up for good on that one, and should come back once we restart.
    if (this.closed) refuse(errors.aiWorker.POOL_CLOSED.create('remote AI worker pool is closed'));
    if (!this.options.checkSecret(request.secret)) refuse(errors.aiWorker.SECRET_INVALID.create(WIRE_TEXT.secretInvalid, { details: { addr } }));
    // No capabilities means a legacy worker: go-livepeer's defaults, which hold no AI models.
    const version = request.capabilities?.version ?? '';
    if (!versionCompatible(this.options.minWorkerVersion, version)) {
      const error = errors.aiWorker.VERSION_INCOMPATIBLE.create(`worker ${addr} not connected, version not compatible`, {
        details: { addr, version, minVersion: this.options.minWorkerVersion },
      });
      this.options.onEvent?.({ kind: 'refused', addr, error });
      return undefined;
    }
    const worker = new RemoteAIWorker(addr, version, workerModelsFrom(request.capabilities), request.hardware, sink);
    this.roster.add(worker);
    this.options.onEvent?.({ kind: 'registered', addr, version, models: worker.models.length });
    return worker;
  }

  /** Takes a worker out (its call ended, or we gave up on it); its running jobs move to other workers. */
  remove(worker: RemoteAIWorker, reason: Extract<RemoteAIEvent, { kind: 'removed' }>['reason']): void {
    if (!this.roster.remove(worker)) return;
    this.tasks.failWorker(worker, errors.aiWorker.WORKER_LOST.create(`remote AI worker ${worker.addr} went away (${reason})`));
    this.options.onEvent?.({ kind: 'removed', addr: worker.addr, reason });
  }

  /** For /aiResults: whether a task still waits for its worker. */
  isPending(taskId: bigint): boolean {
    return this.tasks.isPending(taskId);
  }

  /** For /aiResults: false when the task is not pending (the caller drops the result). */
  deliver(taskId: bigint, outcome: WorkerOutcome): boolean {
    return this.tasks.deliver(taskId, outcome);
  }

  async dispatch(job: AIJob): Promise<JobResult> {
    for (;;) {
      if (this.closed) throw errors.aiWorker.POOL_CLOSED.create('remote AI worker pool is closed');
      if (job.signal?.aborted) throw errors.aiWorker.CANCELLED.create(`${job.pipeline} job abandoned by its caller`);
      const lease = this.roster.select(job.requestId, job.pipeline, job.modelId);
      try {
        return await this.runOn(lease, job);
      } catch (error) {
        // The worker is out of the pool already; the next select() skips it.
        if (errors.aiWorker.WORKER_LOST.is(error)) continue;
        throw error;
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Fail the jobs first: failing them through remove() would send them looking for another worker.
    this.tasks.failAll(errors.aiWorker.POOL_CLOSED.create('remote AI worker pool is closed'));
    for (const worker of [...this.roster.list]) this.remove(worker, 'closed');
  }

  /** One attempt on one worker; the lease is released when the job is over (for a stream, when it ends). */
  private async runOn(lease: Lease, job: AIJob): Promise<JobResult> {
    const { worker } = lease;
    const { taskId, outcome } = this.tasks.open(worker);
    const timer = setTimeout(() => {
      this.tasks.fail(taskId, errors.aiWorker.TIMEOUT.create(WIRE_TEXT.timeout, { details: { taskId: taskId.toString(), addr: worker.addr } }));
      this.remove(worker, 'timeout');
    }, this.options.timeoutMs ?? DEFAULT_AI_WORKER_TIMEOUT_MS);
    const onAbort = (): void => this.tasks.fail(taskId, errors.aiWorker.CANCELLED.create(`${job.pipeline} job abandoned by its caller`));
    job.signal?.addEventListener('abort', onAbort, { once: true });
    let streaming = false;
    try {
      const notify: NotifyAIJob = { taskId, pipeline: job.pipeline, requestData: job.requestData };
      try {
        await worker.send(notify);
      } catch (error) {
        this.tasks.fail(taskId, error as Error);
        this.remove(worker, 'send-failed');
      }
      const answer = await outcome;
      if (answer.kind === 'error') throw answer.error;
      if (answer.kind === 'stream') {
        streaming = true;
        answer.chunks.onFinish(() => lease.release());
      }
      return answer;
    } finally {
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', onAbort);
      if (!streaming) lease.release();
    }
  }
}
