import { errors } from '@lpx/sdk';

export type FinishedJob = { state: 'completed'; result: unknown } | { state: 'failed'; reason: string };

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  since: number;
}

/**
 * Pending submitAndWait calls of one capability, keyed by job id and settled
 * by a worker here (ADR 0061) or from the queue's single shared QueueEvents stream: a waiter costs a map entry
 * and a timer, not a Redis connection or listener per call.
 */
export class ResultWaiters {
  readonly #byJob = new Map<string, Waiter[]>();
  readonly #capabilityId: string;
  readonly #readFinished: (jobId: string) => Promise<FinishedJob | undefined>;
  readonly #pollMs: number;
  #pollTimer: NodeJS.Timeout | undefined;

  constructor(capabilityId: string, readFinished: (jobId: string) => Promise<FinishedJob | undefined>, pollMs: number) {
    this.#capabilityId = capabilityId;
    this.#readFinished = readFinished;
    this.#pollMs = pollMs;
  }

  get size(): number {
    return this.#byJob.size;
  }

  wait(jobId: string, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#remove(jobId, waiter);
        reject(errors.jobs.TIMEOUT.create(`no result for job ${jobId} on ${this.#capabilityId} within ${timeoutMs} ms; the job stays queued`, {
          details: { jobId, capabilityId: this.#capabilityId, timeoutMs },
        }));
      }, timeoutMs);
      const waiter: Waiter = { resolve, reject, timer, since: Date.now() };
      const list = this.#byJob.get(jobId);
      if (list) list.push(waiter);
      else this.#byJob.set(jobId, [waiter]);
      this.#pollTimer ??= setInterval(() => void this.#pollStale(), this.#pollMs).unref();
    });
  }

  /** Someone in this process waits for the job. */
  has(jobId: string): boolean {
    return this.#byJob.has(jobId);
  }

  settle(jobId: string, finished: FinishedJob): void {
    const list = this.#byJob.get(jobId);
    if (!list) return;
    this.#byJob.delete(jobId);
    this.#stopPollingIfIdle();
    for (const waiter of list) {
      clearTimeout(waiter.timer);
      if (finished.state === 'completed') waiter.resolve(finished.result);
      else waiter.reject(this.#failure(jobId, finished.reason));
    }
  }

  /** Rejects the waiters of one job with a given error, e.g. when its add() failed. */
  reject(jobId: string, error: Error): void {
    const list = this.#byJob.get(jobId) ?? [];
    this.#byJob.delete(jobId);
    this.#stopPollingIfIdle();
    for (const waiter of list) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  rejectAll(error: Error): void {
    for (const list of this.#byJob.values()) {
      for (const waiter of list) {
        clearTimeout(waiter.timer);
        waiter.reject(error);
      }
    }
    this.#byJob.clear();
    this.#stopPollingIfIdle();
  }

  #failure(jobId: string, reason: string): Error {
    return errors.jobs.FAILED.create(`job ${jobId} on ${this.#capabilityId} failed: ${reason}`, {
      details: { jobId, capabilityId: this.#capabilityId, reason },
    });
  }

  #remove(jobId: string, waiter: Waiter): void {
    const list = this.#byJob.get(jobId);
    if (!list) return;
    const rest = list.filter((w) => w !== waiter);
    if (rest.length > 0) this.#byJob.set(jobId, rest);
    else this.#byJob.delete(jobId);
    this.#stopPollingIfIdle();
  }

  #stopPollingIfIdle(): void {
    if (this.#byJob.size > 0 || !this.#pollTimer) return;
    clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  /**
   * Events are the fast path; this is the safety net. An event can be lost
   * when Redis dies within its AOF fsync window, and a waiter must not hang
   * until its timeout for a job that did finish.
   */
  async #pollStale(): Promise<void> {
    const cutoff = Date.now() - this.#pollMs;
    const stale = [...this.#byJob].filter(([, list]) => list.some((w) => w.since <= cutoff)).map(([jobId]) => jobId);
    await Promise.all(stale.map(async (jobId) => {
      const finished = await this.#readFinished(jobId).catch(() => undefined);
      if (finished) this.settle(jobId, finished);
    }));
  }
}
