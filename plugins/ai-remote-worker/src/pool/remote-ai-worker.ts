/**
 * One registered remote AI worker: its open RegisterAIWorker stream, the
 * per-model slots it offered, and the tasks it is running. Slots are counted
 * here (first fit takes one, completion gives it back), the way go-livepeer
 * decrements the worker's own copy of its model capacities.
 */
import { errors } from '@lpx/sdk';
import type { NotifyAIJob, WorkerHardware } from '../wire/ai-worker-messages.js';
import { modelKey, type WorkerModel } from './worker-models.js';

/** The part of grpc-js's ServerWritableStream the pool needs. */
export interface JobSink {
  write(notify: NotifyAIJob, callback: (error?: Error | null) => void): unknown;
  end(): void;
  readonly cancelled: boolean;
}

export class RemoteAIWorker {
  private readonly free = new Map<string, number>();
  private live = true;
  /** Tasks sent to this worker and not settled yet. */
  readonly tasks = new Set<bigint>();

  constructor(
    readonly addr: string,
    readonly version: string,
    readonly models: readonly WorkerModel[],
    readonly hardware: readonly WorkerHardware[],
    private readonly sink: JobSink,
  ) {
    for (const model of models) {
      const key = modelKey(model.pipeline, model.modelId);
      this.free.set(key, (this.free.get(key) ?? 0) + model.capacity);
    }
  }

  get isLive(): boolean {
    return this.live && !this.sink.cancelled;
  }

  tryReserve(pipeline: string, modelId: string): boolean {
    const key = modelKey(pipeline, modelId);
    const free = this.free.get(key) ?? 0;
    if (free <= 0) return false;
    this.free.set(key, free - 1);
    return true;
  }

  release(pipeline: string, modelId: string): void {
    const key = modelKey(pipeline, modelId);
    const free = this.free.get(key);
    if (free !== undefined) this.free.set(key, free + 1);
  }

  /** Resolves once grpc-js has taken the message; a dead stream is a WORKER_LOST rejection. */
  send(notify: NotifyAIJob): Promise<void> {
    if (!this.isLive) return Promise.reject(errors.aiWorker.WORKER_LOST.create(`remote AI worker ${this.addr} is gone`));
    return new Promise((resolve, reject) => {
      const lost = (cause: unknown): void =>
        reject(errors.aiWorker.WORKER_LOST.create(`cannot send task ${notify.taskId} to remote AI worker ${this.addr}: ${(cause as Error).message}`, { cause }));
      try {
        this.sink.write(notify, (error) => (error ? lost(error) : resolve()));
      } catch (error) {
        lost(error);
      }
    });
  }

  /** Ends the registration call with OK, as go-livepeer's handler returning nil does; the worker reconnects on its own. */
  drop(): void {
    if (!this.live) return;
    this.live = false;
    try {
      if (!this.sink.cancelled) this.sink.end();
    } catch {
      // The stream was already torn down by the peer.
    }
  }
}
