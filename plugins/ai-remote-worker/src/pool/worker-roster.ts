/**
 * The registered workers in registration order, and go-livepeer's selection
 * over them: the first worker that serves the model with a free slot takes
 * the job (first fit), and jobs sharing a request id stay on the worker that
 * took the first of them while any is in flight (sticky sessions). The
 * totals per (pipeline, model) are what the node offers; they change only
 * when a worker joins or leaves, never per job, as in go-livepeer.
 */
import { errors } from '@lpx/sdk';
import { WIRE_TEXT } from '../wire/wire-texts.js';
import type { RemoteAIWorker } from './remote-ai-worker.js';
import { modelKey, type WorkerModel } from './worker-models.js';

/** A slot on a worker; release() gives it back once, whatever happens to the job. */
export interface Lease {
  readonly worker: RemoteAIWorker;
  release(): void;
}

interface Session {
  worker: RemoteAIWorker;
  inFlight: number;
}

export class WorkerRoster {
  private workers: RemoteAIWorker[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly listeners = new Set<() => void>();

  get list(): readonly RemoteAIWorker[] {
    return this.workers;
  }

  /** Called after every join and departure; returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(worker: RemoteAIWorker): void {
    this.workers.push(worker);
    this.changed();
  }

  /** Takes a worker out (idempotent); true when it was in. */
  remove(worker: RemoteAIWorker): boolean {
    const before = this.workers.length;
    this.workers = this.workers.filter((w) => w !== worker);
    if (this.workers.length === before) return false;
    worker.drop();
    for (const [requestId, session] of this.sessions) if (session.worker === worker) this.sessions.delete(requestId);
    this.changed();
    return true;
  }

  /** Every (pipeline, model) the registered workers serve, capacities summed; warm if any worker has it warm. */
  models(): WorkerModel[] {
    const byKey = new Map<string, WorkerModel>();
    for (const worker of this.workers) {
      for (const model of worker.models) {
        const key = modelKey(model.pipeline, model.modelId);
        const seen = byKey.get(key);
        byKey.set(key, seen === undefined ? model : { ...seen, capacity: seen.capacity + model.capacity, warm: seen.warm || model.warm, runnerVersion: seen.runnerVersion || model.runnerVersion });
      }
    }
    return [...byKey.values()];
  }

  select(requestId: string, pipeline: string, modelId: string): Lease {
    // A worker whose stream died without us hearing yet is pruned here, as go-livepeer does.
    for (const worker of this.workers.filter((w) => !w.isLive)) this.remove(worker);
    if (this.workers.length === 0) throw errors.aiWorker.NO_WORKERS.create(WIRE_TEXT.noWorkers);
    const session = this.sessions.get(requestId);
    let chosen: RemoteAIWorker | undefined;
    if (session !== undefined && session.worker.tryReserve(pipeline, modelId)) chosen = session.worker;
    chosen ??= this.workers.find((worker) => worker.tryReserve(pipeline, modelId));
    if (chosen === undefined) throw errors.aiWorker.NO_COMPATIBLE_WORKERS.create(WIRE_TEXT.noCompatibleWorkers, { details: { pipeline, modelId } });
    if (session === undefined) this.sessions.set(requestId, { worker: chosen, inFlight: 1 });
    else {
      session.worker = chosen;
      session.inFlight += 1;
    }
    let released = false;
    return {
      worker: chosen,
      release: () => {
        if (released) return;
        released = true;
        chosen.release(pipeline, modelId);
        const current = this.sessions.get(requestId);
        if (current !== undefined && --current.inFlight <= 0) this.sessions.delete(requestId);
      },
    };
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A listener's failure must not stop a worker joining or leaving the pool.
      }
    }
  }
}
