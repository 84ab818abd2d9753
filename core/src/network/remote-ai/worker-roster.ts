/**
 * The registered workers in registration order, and go-livepeer's selection
 * over them: the first worker that serves the model with a free slot takes
 * the job (first fit), and jobs sharing a request id stay on the worker that
 * took the first of them while any is in flight (sticky sessions). Totals per
 * (pipeline, model) are what the orchestrator advertises; they change only
 * when a worker joins or leaves, never per job, as in go-livepeer.
 */
import type { HardwareInformation } from '../wire/types.js';
import { aiWorkerErrors } from './remote-ai-errors.js';
import type { RemoteAIWorker } from './remote-ai-worker.js';

export type CapacityListener = (pipeline: string, modelId: string, totalCapacity: number) => void;

/** A slot on a worker; release() gives it back once, whatever happens to the job. */
export interface Lease {
  readonly worker: RemoteAIWorker;
  release(): void;
}

interface Session {
  worker: RemoteAIWorker;
  inFlight: number;
}

/** go-livepeer's ErrNoWorkersAvailable / ErrNoCompatibleWorkersAvailable texts. */
export const NO_WORKERS_TEXT = 'no workers available';
export const NO_COMPATIBLE_WORKERS_TEXT = 'no workers can process job requested';

export class WorkerRoster {
  private workers: RemoteAIWorker[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly listeners: CapacityListener[] = [];

  get list(): readonly RemoteAIWorker[] {
    return this.workers;
  }

  onCapacityChange(listener: CapacityListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  add(worker: RemoteAIWorker): void {
    this.workers.push(worker);
    this.announce(worker);
  }

  /** Takes a worker out of the pool (idempotent); true when it was in it. */
  remove(worker: RemoteAIWorker): boolean {
    const before = this.workers.length;
    this.workers = this.workers.filter((w) => w !== worker);
    if (this.workers.length === before) return false;
    worker.drop();
    for (const [requestId, session] of this.sessions) if (session.worker === worker) this.sessions.delete(requestId);
    this.announce(worker);
    return true;
  }

  /** Sum of the registered workers' slots for the model (in use or not). */
  capacity(pipeline: string, modelId: string): number {
    let total = 0;
    for (const worker of this.workers) for (const model of worker.models) if (model.pipeline === pipeline && model.modelId === modelId) total += model.capacity;
    return total;
  }

  /** go-livepeer's workerHasCapacity: some worker has a free slot for the model right now. */
  hasCapacity(pipeline: string, modelId: string): boolean {
    return this.workers.some((worker) => worker.isLive && worker.freeSlots(pipeline, modelId) > 0);
  }

  hardware(): HardwareInformation[] {
    return this.workers.flatMap((worker) => worker.hardware);
  }

  select(requestId: string, pipeline: string, modelId: string): Lease {
    // A worker whose stream died without us hearing yet is pruned here, as go-livepeer does.
    for (const worker of this.workers.filter((w) => !w.isLive)) this.remove(worker);
    if (this.workers.length === 0) throw aiWorkerErrors.NO_WORKERS.create(NO_WORKERS_TEXT);
    const session = this.sessions.get(requestId);
    let chosen: RemoteAIWorker | undefined;
    if (session !== undefined && session.worker.tryReserve(pipeline, modelId)) chosen = session.worker;
    chosen ??= this.workers.find((worker) => worker.tryReserve(pipeline, modelId));
    if (chosen === undefined) {
      throw aiWorkerErrors.NO_COMPATIBLE_WORKERS.create(NO_COMPATIBLE_WORKERS_TEXT, { details: { pipeline, modelId } });
    }
    if (session === undefined) this.sessions.set(requestId, { worker: chosen, inFlight: 1 });
    else {
      session.worker = chosen;
      session.inFlight += 1;
    }
    return this.lease(requestId, chosen, pipeline, modelId);
  }

  private lease(requestId: string, worker: RemoteAIWorker, pipeline: string, modelId: string): Lease {
    let released = false;
    return {
      worker,
      release: () => {
        if (released) return;
        released = true;
        worker.release(pipeline, modelId);
        const session = this.sessions.get(requestId);
        if (session !== undefined && --session.inFlight <= 0) this.sessions.delete(requestId);
      },
    };
  }

  private announce(worker: RemoteAIWorker): void {
    const seen = new Set<string>();
    for (const model of worker.models) {
      const key = `${model.pipeline}\u0000${model.modelId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const total = this.capacity(model.pipeline, model.modelId);
      for (const listener of this.listeners) {
        try {
          listener(model.pipeline, model.modelId, total);
        } catch {
          // A listener's failure must not stop a worker joining or leaving the pool.
        }
      }
    }
  }
}
