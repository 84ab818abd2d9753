/**
 * Jobs sent to workers and waiting for their POST to /aiResults, by task id.
 * Ids count up from 0 for the life of the pool, as go-livepeer's taskCount
 * does, so a late answer to a finished task can never land on a new one.
 */
import type { RemoteAIWorker } from './remote-ai-worker.js';
import type { WorkerOutcome } from './worker-outcome.js';

interface PendingTask {
  readonly worker: RemoteAIWorker;
  readonly resolve: (outcome: WorkerOutcome) => void;
  readonly reject: (error: Error) => void;
}

export interface OpenTask {
  readonly taskId: bigint;
  /** Resolves with what the worker posted; rejects when the task is failed from this side. */
  readonly outcome: Promise<WorkerOutcome>;
}

export class TaskTable {
  private nextId = 0n;
  private readonly pending = new Map<bigint, PendingTask>();

  get size(): number {
    return this.pending.size;
  }

  open(worker: RemoteAIWorker): OpenTask {
    const taskId = this.nextId++;
    const outcome = new Promise<WorkerOutcome>((resolve, reject) => {
      this.pending.set(taskId, { worker, resolve, reject });
    });
    // The task can fail (worker gone) before the dispatcher gets to await it.
    outcome.catch(() => undefined);
    worker.tasks.add(taskId);
    return { taskId, outcome };
  }

  isPending(taskId: bigint): boolean {
    return this.pending.has(taskId);
  }

  /** Hands the worker's answer to the dispatcher; false when the task is not pending. */
  deliver(taskId: bigint, outcome: WorkerOutcome): boolean {
    const task = this.take(taskId);
    task?.resolve(outcome);
    return task !== undefined;
  }

  fail(taskId: bigint, error: Error): void {
    this.take(taskId)?.reject(error);
  }

  failWorker(worker: RemoteAIWorker, error: Error): void {
    for (const taskId of [...worker.tasks]) this.fail(taskId, error);
  }

  failAll(error: Error): void {
    for (const taskId of [...this.pending.keys()]) this.fail(taskId, error);
  }

  private take(taskId: bigint): PendingTask | undefined {
    const task = this.pending.get(taskId);
    if (task === undefined) return undefined;
    this.pending.delete(taskId);
    task.worker.tasks.delete(taskId);
    return task;
  }
}
