/**
 * Synchronous jobs a lane runs in this process without the queue (ADR 0067):
 * the caller waits here and the processor is bound here, so BullMQ's add,
 * fetch and finish (three scripts and the job's hash, per job) buy nothing
 * but durability, which the ledger gives for two plain writes. Each attempt
 * is the same as a worker's (runAttempt: observer, stream, retry notice);
 * retries wait out the job's backoff here. On close, jobs still running past
 * the drain timeout are aborted and queued for another process, with the
 * attempts they have left.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UnrecoverableError, type JobsOptions } from 'bullmq';
import type { JobProcessor, LoggerService } from '@lpx/sdk';
import type { InlineLedger, LedgerEntry } from './inline-ledger.js';
import { asStored } from './local-results.js';
import { runAttempt, type RunnerHooks } from './processor-runner.js';
import type { FinishedJob } from './result-waiters.js';
import { settleWithin } from './settle-within.js';

export interface InlineRunsDeps {
  readonly capabilityId: string;
  readonly queueQualifiedName: string;
  /** The lane's bound processor. */
  readonly processor: JobProcessor<unknown, unknown>;
  readonly ledger: InlineLedger;
  readonly hooks: RunnerHooks;
  /** Queues a job for any worker (the lane's queue, under the job's id). */
  readonly handOver: (jobId: string, entry: LedgerEntry) => Promise<void>;
  readonly logger: LoggerService | undefined;
}

/** The job as the ledger keeps it, from the options it would have been queued with. */
export function ledgerEntry(capabilityId: string, data: unknown, options: JobsOptions): LedgerEntry {
  const { backoff, priority } = options;
  return {
    capabilityId,
    data,
    attempts: options.attempts ?? 1,
    // toBullJobOptions allowed only BullMQ's built-in strategies.
    ...(typeof backoff === 'object' ? { backoff: { type: backoff.type as 'fixed' | 'exponential', delay: backoff.delay ?? 0 } } : {}),
    ...(priority !== undefined ? { priority } : {}),
    attemptsMade: 0,
  };
}

/** Queue options for a ledger's job: its own id, and the attempts it has left. */
export function queuedOptions(jobId: string, entry: LedgerEntry): JobsOptions {
  const { attempts, attemptsMade, backoff, priority } = entry;
  return { jobId, attempts: Math.max(1, attempts - attemptsMade), ...(backoff !== undefined ? { backoff } : {}), ...(priority !== undefined ? { priority } : {}) };
}

/** BullMQ's built-in strategies, so a retry waits here as long as it would in the queue. */
export function backoffDelay(backoff: LedgerEntry['backoff'], attemptsMade: number): number {
  if (backoff === undefined) return 0;
  return backoff.type === 'fixed' ? backoff.delay : Math.round(2 ** (attemptsMade - 1) * backoff.delay);
}

export class InlineRuns {
  readonly #deps: InlineRunsDeps;
  readonly #running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  /** Aborts the backoff waits when the lane closes. */
  readonly #closing = new AbortController();

  constructor(deps: InlineRunsDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#running.size;
  }

  /**
   * Runs the job here: its ledger entry is written first (a failure to write
   * it rejects, and nothing ran). Resolves with the outcome, or `handed` when
   * the lane closed under it and the job went to the queue.
   */
  run(jobId: string, input: unknown, entry: LedgerEntry): Promise<FinishedJob | 'handed'> {
    const controller = new AbortController();
    const done = this.#run(jobId, input, entry, controller.signal);
    this.#running.set(jobId, { controller, done: done.catch(() => undefined) });
    void done.finally(() => this.#running.delete(jobId)).catch(() => undefined);
    return done;
  }

  async #run(jobId: string, input: unknown, entry: LedgerEntry, signal: AbortSignal): Promise<FinishedJob | 'handed'> {
    const { capabilityId, queueQualifiedName, processor, ledger, hooks, logger } = this.#deps;
    await ledger.record(jobId, entry);
    hooks.metrics.queued(capabilityId, jobId);
    let attemptsMade = entry.attemptsMade;
    for (;;) {
      const job = { id: jobId, data: input, attemptsMade, opts: { attempts: entry.attempts }, queueQualifiedName, updateProgress: async () => undefined };
      try {
        const result = await runAttempt(capabilityId, processor, hooks, job, signal, false);
        // The answer need not wait for the ledger: a clear lost to a crash only runs the job again.
        void this.#clear(jobId);
        return { state: 'completed', result: asStored(result) };
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown : new Error(String(thrown));
        // Aborted by the close, the attempt is not the job's fault: the queue gets all it had left.
        if (this.#closing.signal.aborted) return this.#handOver(jobId, { ...entry, attemptsMade });
        attemptsMade++;
        if (error instanceof UnrecoverableError || attemptsMade >= entry.attempts) {
          void this.#clear(jobId);
          return { state: 'failed', reason: error.message };
        }
        logger?.warn({ capabilityId, jobId, attempt: attemptsMade, err: error.message }, 'job attempt failed');
        await ledger.record(jobId, { ...entry, attemptsMade });
        const waited = await sleep(backoffDelay(entry.backoff, attemptsMade), true, { signal: this.#closing.signal }).catch(() => false);
        if (!waited) return this.#handOver(jobId, { ...entry, attemptsMade });
      }
    }
  }

  async #handOver(jobId: string, entry: LedgerEntry): Promise<'handed'> {
    await this.#deps.handOver(jobId, entry);
    await this.#clear(jobId);
    return 'handed';
  }

  /** The job is over; should Redis refuse, the entry stays and is queued again only if this process dies. */
  async #clear(jobId: string): Promise<void> {
    await this.#deps.ledger.clear(jobId).catch((error: unknown) => this.#deps.logger?.warn({ err: error, jobId }, 'clearing an inline job from the ledger failed'));
  }

  /** Waits for the running jobs up to `drainTimeoutMs`, then aborts them: each goes to the queue. */
  async close(drainTimeoutMs: number): Promise<void> {
    const all = (): Promise<unknown> => Promise.all([...this.#running.values()].map((run) => run.done));
    if (await settleWithin(all(), drainTimeoutMs)) return;
    this.#closing.abort();
    for (const run of this.#running.values()) run.controller.abort(new Error('lpx node is shutting down'));
    await settleWithin(all(), drainTimeoutMs);
  }
}
