/**
 * A synchronous caller that hangs up cancels its route job (ADR 0064): go-livepeer
 * ties a gateway request to its client's connection, and a job nobody waits for
 * would otherwise keep an orchestrator busy and keep paying it.
 *
 * - A job still queued is removed (BullMQ refuses to remove one a worker holds).
 * - A job a router in this process runs — the usual case, the API and its router
 *   share the process — is aborted at once through its signal.
 * - For a router in another gateway process a short-lived Redis mark is left; it
 *   is read only where a job would start over (a failover to another
 *   orchestrator, a BullMQ retry), so the hot path pays no round trip for it.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { errors, type LpxError } from '@lpx/sdk';
import { LinkedAbort } from '../../lifecycle/linked-abort.js';

/** Long enough for any retry backoff of the job to come round; the mark is only a hint after that. */
const MARK_TTL_MS = 10 * 60_000;

export class ClientCancels {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #running = new Map<string, TrackedRun>();

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  #mark(jobId: string): string {
    return `${this.#prefix}:cancelled:${jobId}`;
  }

  /** The caller of `jobId` hung up: stop the job wherever it is. */
  async cancel(queue: Queue, capabilityId: string, jobId: string): Promise<void> {
    const running = this.#running.get(jobId);
    if (running !== undefined) {
      // It fails CANCELLED at once and stays on record, for a status read.
      running.hangUp(cancelled(capabilityId, jobId));
      return;
    }
    await this.#redis.set(this.#mark(jobId), '1', 'PX', MARK_TTL_MS);
    // 0 when a worker elsewhere holds the job: its router sees the mark before it starts over.
    await queue.remove(jobId).catch(() => 0);
  }

  /**
   * A router starts `jobId`: `signal` aborts when the caller hangs up
   * (`hungUp` says so) or when `parent` (the job's own signal) aborts; call
   * `done` when it ends (a linked controller, not `AbortSignal.any`).
   */
  track(jobId: string, parent?: AbortSignal): Tracked {
    const run = new TrackedRun(parent);
    this.#running.set(jobId, run);
    return {
      signal: run.signal,
      get hungUp() {
        return run.hungUp;
      },
      done: () => {
        run.release();
        if (this.#running.get(jobId) === run) this.#running.delete(jobId);
      },
    };
  }

  /** Whether the caller of `jobId` hung up (read before a job starts over). */
  async isCancelled(jobId: string): Promise<boolean> {
    return (await this.#redis.exists(this.#mark(jobId))) > 0;
  }
}

export interface Tracked {
  readonly signal: AbortSignal;
  /** The caller hung up (not the job's own signal). */
  readonly hungUp: boolean;
  done(): void;
}

/** The job's linked signal, and whether it was the caller who aborted it. */
class TrackedRun extends LinkedAbort {
  hungUp = false;

  hangUp(reason: Error): void {
    if (this.signal.aborted) return;
    this.hungUp = true;
    this.abort(reason);
  }
}

export function cancelled(capabilityId: string, jobId: string): LpxError {
  return errors.jobs.CANCELLED.create(`the caller of ${capabilityId} job ${jobId} hung up before its answer; the job was cancelled`);
}

/**
 * Calls `onGone` if the caller's connection closes before the answer was
 * written whole. A response emits 'close' once either way, so the listener
 * goes with it.
 */
export function whenCallerLeaves(response: NodeJS.EventEmitter & { readonly writableFinished: boolean }, onGone: () => void): void {
  response.once('close', () => {
    if (!response.writableFinished) onGone();
  });
}
