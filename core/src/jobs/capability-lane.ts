import { randomUUID } from 'node:crypto';
import { Queue, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { errors, queueNameFor, type JobEvent, type JobProcessor, type JobStatus, type LoggerService, type SubmitOptions, type WaitOptions } from '@lpx/sdk';
import { JobEventStream } from './job-event-stream.js';
import { checkTimeout, toBullJobOptions, type KernelWaitOptions } from './job-options.js';
import type { JobsOptions } from 'bullmq';
import { readFinished, readJobStatus } from './job-status.js';
import type { ResolvedKernelOptions } from './jobs-kernel-options.js';
import type { JobsMetrics } from './jobs-metrics.js';
import { toBullProcessor } from './processor-runner.js';
import type { JobBlobs } from './job-blobs.js';
import type { Encoded } from './job-payloads.js';
import { ResultWaiters, type FinishedJob } from './result-waiters.js';
import { drainWorker } from './drain-worker.js';
import { settleWithin } from './settle-within.js';
import { EventDemand, type Probe } from './event-demand.js';
import { whereIs } from './job-whereabouts.js';
import { createLaneWorker, retentionOf } from './lane-worker.js';
import { relayKey } from './stream-relay.js';
import { StreamWaits, type StreamWait } from './stream-waits.js';
import type { InlineLedger, LedgerEntry } from './inline-ledger.js';
import { InlineRuns, ledgerEntry, queuedOptions } from './inline-runs.js';
import type { RunnerHooks } from './processor-runner.js';

const CLOSE_GRACE_MS = 2_000;


export interface LaneDeps {
  capabilityId: string;
  connection: Redis;
  options: ResolvedKernelOptions;
  logger: LoggerService | undefined;
  metrics: JobsMetrics;
  /** Offloads large data and results; undefined keeps everything inline in Redis. */
  blobs: JobBlobs | undefined;
  /** Where synchronous jobs run here without the queue are recorded (ADR 0067). */
  ledger: InlineLedger;
}

interface BoundProcessor {
  processor: JobProcessor<unknown, unknown>;
  concurrency: number;
}

/** Everything the kernel keeps for one capability: its queue, its event reader and, if bound here, its worker. */
export class CapabilityLane {
  readonly capabilityId: string;
  readonly queue: Queue;
  readonly #deps: LaneDeps;
  readonly #waiters: ResultWaiters;
  readonly #events: JobEventStream;
  /** Which waiters need the events reader: those whose job may run in another process (ADR 0065). */
  readonly #demand: EventDemand;
  /** submitAndStream callers waiting for a job's stream to open. */
  readonly #streamWaits = new StreamWaits();
  #bound: BoundProcessor | undefined;
  #worker: Worker | undefined;
  /** Synchronous jobs run here without the queue; exists once the worker does. */
  #inline: InlineRuns | undefined;
  /** The last pause/resume, so close() can wait for it; resizes run one after another. */
  #resizing: Promise<void> = Promise.resolve();
  #closing = false;

  constructor(deps: LaneDeps) {
    const { capabilityId, connection, options, logger } = deps;
    this.capabilityId = capabilityId;
    this.#deps = deps;
    this.queue = new Queue(queueNameFor(capabilityId), { connection, prefix: options.prefix, defaultJobOptions: retentionOf(options) });
    this.queue.on('error', (error) => logger?.debug({ err: error.message, capabilityId }, 'queue connection error (retrying)'));
    this.#waiters = new ResultWaiters(capabilityId, (jobId) => this.#readFinished(jobId), options.waitPollMs);
    this.#events = new JobEventStream({
      queue: this.queue,
      connection,
      prefix: options.prefix,
      capabilityId,
      waiters: this.#waiters,
      logger,
      results: deps.blobs,
      streamOpened: (jobId) => this.#streamWaits.opened(jobId),
      idleStopMs: options.eventsIdleStopMs,
    });
    this.#demand = new EventDemand({
      reader: this.#events,
      localStartMs: options.localStartMs,
      catchUp: (jobId) => this.#catchUp(jobId),
      probe: (jobId) => this.#probe(jobId),
      onError: (jobId, error) => logger?.warn({ err: error, capabilityId, jobId }, 'job event stream failed to start; the waiter polls'),
    });
  }

  get hasProcessor(): boolean {
    return this.#bound !== undefined;
  }

  bind(processor: JobProcessor<unknown, unknown>, concurrency: number): void {
    if (this.#bound) {
      throw errors.jobs.PROCESSOR_DUPLICATE.create(`a processor for ${this.capabilityId} is already bound in this process`);
    }
    this.#bound = { processor, concurrency };
  }

  /**
   * Changes how many jobs this process runs at once (transcode workers follow
   * their backends' capacity); 0 pauses the worker so other processes take the jobs.
   */
  setConcurrency(concurrency: number): Promise<void> {
    // BullMQ's pause() reconnects the worker's blocking connection once the main loop stops, even on a
    // closed worker: a resize during or after close would leave that connection retrying forever.
    if (!this.#bound || this.#closing) return Promise.resolve();
    const next = this.#resizing.then(() => this.#resize(concurrency));
    this.#resizing = next.catch(() => undefined);
    return next;
  }

  async #resize(concurrency: number): Promise<void> {
    if (!this.#bound || this.#closing) return;
    if (concurrency > 0) this.#bound.concurrency = concurrency;
    const worker = this.#worker;
    if (!worker) return;
    if (concurrency === 0) {
      // Waiting for the active jobs also aborts the blocking fetch, which would otherwise still take one more job.
      if (!worker.isPaused()) await worker.pause();
      return;
    }
    worker.concurrency = concurrency;
    if (worker.isPaused()) await worker.resume();
  }

  /** Idempotent; a lane without a bound processor only produces and observes. */
  startWorker(): void {
    if (!this.#bound || this.#worker || this.#closing) return;
    const { capabilityId, connection, options, logger, metrics, blobs } = this.#deps;
    const hooks: RunnerHooks = {
      metrics,
      blobs,
      announceRetry: (jobId, reason, attempts) => this.#events.announceRetry(jobId, reason, attempts),
      // A submitter in this process learns of the stream at once, not only when the events reader sees the entry.
      announceStream: async (jobId) => {
        await this.#events.announceStream(jobId);
        this.#streamWaits.opened(jobId);
      },
      // Only a submitter here waiting for a possible stream wants to know (submitAndStream).
      answeredWhole: (jobId) => {
        this.#streamWaits.answeredWhole(jobId);
      },
      relay: { connection, prefix: options.prefix },
    };
    const processor = toBullProcessor(capabilityId, this.#bound.processor, hooks);
    const worker = createLaneWorker(this.queue.name, processor, this.#bound.concurrency, this.#deps, { waiters: this.#waiters, demand: this.#demand });
    this.#worker = worker;
    this.#inline = new InlineRuns({ capabilityId, queueQualifiedName: this.queue.qualifiedName, processor: this.#bound.processor, ledger: this.#deps.ledger, hooks, handOver: (jobId, entry) => this.handOver(jobId, entry), logger });
  }

  /** Queues a job that was running without the queue (this lane closing, or a dead process's ledger swept). */
  async handOver(jobId: string, entry: LedgerEntry): Promise<void> {
    await this.queue.add(this.capabilityId, entry.data, queuedOptions(jobId, entry));
  }

  /**
   * The processor is here with room for one more job run without the queue:
   * the worker takes jobs (not paused, not closing) and fewer than its
   * concurrency run inline. Inline jobs have their own bound, so this process
   * may run up to twice the concurrency when its queue is also busy.
   */
  #inlineFor(encoded: Encoded): InlineRuns | undefined {
    const inline = this.#inline;
    if (inline === undefined || !this.#takesJobsHere() || inline.size >= (this.#bound?.concurrency ?? 0)) return undefined;
    // A job whose input went to the blob store takes the queue: the blob reaper knows only queued jobs.
    return encoded.refs.length > 0 ? undefined : inline;
  }

  async submit(data: unknown, options?: SubmitOptions): Promise<{ id: string }> {
    const bullOptions = toBullJobOptions(this.capabilityId, options);
    const encoded = await this.#encode(data, bullOptions);
    try {
      const job = await this.queue.add(this.capabilityId, encoded.value, bullOptions);
      this.#deps.metrics.queued(this.capabilityId, job.id ?? '');
      return { id: job.id ?? '' };
    } catch (error) {
      await this.#deps.blobs?.discard(encoded);
      throw error;
    }
  }

  async submitAndWait(data: unknown, options: KernelWaitOptions = {}): Promise<unknown> {
    const bullOptions = toBullJobOptions(this.capabilityId, options);
    const timeoutMs = checkTimeout(this.capabilityId, options.timeoutMs ?? this.#deps.options.waitTimeoutMs);
    const callerChoseId = bullOptions.jobId !== undefined && options.freshId !== true;
    // Our own id lets the waiter exist before the job does, so even an instant
    // completion cannot slip past it.
    const jobId = bullOptions.jobId ?? randomUUID();
    bullOptions.jobId = jobId;
    const encoded = await this.#encode(data, bullOptions);
    const inline = options.inline === true ? this.#inlineFor(encoded) : undefined;
    if (inline !== undefined) return this.#submitInline(inline, jobId, data, encoded, bullOptions, timeoutMs);
    try {
      // A job a worker here will run needs no events reader; one that may run elsewhere starts it first.
      await this.#demand.track(jobId, this.#takesJobsHere());
    } catch (error) {
      this.#demand.release(jobId);
      await this.#deps.blobs?.discard(encoded);
      throw error;
    }
    const result = this.#waiters.wait(jobId, timeoutMs);
    // The job may fail while we are still adding it; the caller gets that rejection from `return result`,
    // but until then it must not count as unhandled (Node would end the process).
    result.then(
      () => this.#demand.release(jobId),
      () => this.#demand.release(jobId),
    );
    let added = false;
    try {
      await this.queue.add(this.capabilityId, encoded.value, bullOptions);
      added = true;
      this.#deps.metrics.queued(this.capabilityId, jobId);
      // A repeated idempotent id may name a job that finished long ago: no event will come.
      if (callerChoseId) {
        const finished = await this.#readFinished(jobId);
        if (finished) this.#waiters.settle(jobId, finished);
      }
    } catch (error) {
      // Only a job that was never queued may lose its blobs here.
      if (!added) await this.#deps.blobs?.discard(encoded);
      this.#waiters.reject(jobId, error instanceof Error ? error : new Error(String(error)));
    }
    return result;
  }

  #submitInline(inline: InlineRuns, jobId: string, data: unknown, encoded: Encoded, bullOptions: JobsOptions, timeoutMs: number): Promise<unknown> {
    const result = this.#waiters.wait(jobId, timeoutMs);
    inline.run(jobId, data, ledgerEntry(this.capabilityId, encoded.value, bullOptions)).then(
      // Handed to the queue only when the lane closes, and closing rejects every waiter.
      (finished) => finished !== 'handed' && this.#waiters.settle(jobId, finished),
      (error: unknown) => this.#waiters.reject(jobId, error instanceof Error ? error : new Error(String(error))),
    );
    return result;
  }

  /**
   * A worker of this process takes jobs now (not paused, not closing), and the lane may count on it:
   * `localStartMs` 0 asks for the events reader for every job, as before ADR 0065.
   */
  #takesJobsHere(): boolean {
    return this.#worker !== undefined && !this.#closing && !this.#worker.isPaused() && this.#deps.options.localStartMs > 0;
  }

  /**
   * The events reader has just started for a job that may run elsewhere:
   * what happened before it started is read from the job itself.
   */
  async #catchUp(jobId: string): Promise<void> {
    const finished = await this.#readFinished(jobId);
    if (finished) return this.#waiters.settle(jobId, finished);
    if (!this.#streamWaits.has(jobId)) return;
    const { connection, options } = this.#deps;
    if ((await connection.exists(relayKey(options.prefix, jobId))) > 0) this.#streamWaits.opened(jobId);
  }

  async #probe(jobId: string): Promise<Probe> {
    const found = await whereIs(this.queue, this.#deps.connection, this.#worker?.id, jobId);
    if (found !== 'finished') return found;
    await this.#catchUp(jobId);
    return 'settled';
  }

  /**
   * Resolves when the job announces its stream (a processor in any process
   * called JobContext.stream); register before submitting. `cancel` forgets
   * the wait (the job ended without streaming, or the caller gave up) and says
   * whether a processor in this process answered the job whole: then no
   * stream exists and nobody need ask Redis.
   */
  streamOpened(jobId: string): StreamWait {
    return this.#streamWaits.wait(jobId);
  }

  async getStatus<Output>(jobId: string): Promise<JobStatus<Output> | undefined> {
    const status = await readJobStatus<Output>(this.queue, this.capabilityId, jobId);
    const blobs = this.#deps.blobs;
    if (!blobs || status?.result === undefined || !blobs.needsDecoding(status.result)) return status;
    return { ...status, result: (await blobs.decode(status.result)) as Output };
  }

  /**
   * Large payloads become references before BullMQ sees them. A job that
   * needs a blob gets its id now (the blob's owner is the job's key), so only
   * large jobs lose BullMQ's counter ids.
   */
  async #encode(data: unknown, bullOptions: JobsOptions): Promise<Encoded> {
    const blobs = this.#deps.blobs;
    if (!blobs) return { value: data, refs: [] };
    return blobs.encode(data, () => this.queue.toKey((bullOptions.jobId ??= randomUUID())));
  }

  async #readFinished(jobId: string): Promise<FinishedJob | undefined> {
    const finished = await readFinished(this.queue, jobId);
    const blobs = this.#deps.blobs;
    if (!blobs || finished?.state !== 'completed' || !blobs.needsDecoding(finished.result)) return finished;
    return { state: 'completed', result: await blobs.decode(finished.result) };
  }

  onEvent(listener: (event: JobEvent) => void): () => void {
    return this.#events.subscribe(listener);
  }

  /** Stop taking jobs, let active ones finish (bounded), then release Redis resources. */
  async close(): Promise<void> {
    const { options, logger } = this.#deps;
    this.#closing = true;
    // A pause under way reconnects the blocking connection when it ends; let it end before the close drops it.
    await settleWithin(this.#resizing, options.drainTimeoutMs);
    await Promise.all([this.#inline?.close(options.drainTimeoutMs), this.#worker ? drainWorker(this.#worker, options.drainTimeoutMs, logger) : undefined]);
    this.#waiters.rejectAll(errors.jobs.CLOSED.create(`the jobs service is closing; jobs on ${this.capabilityId} stay queued`));
    await this.#events.close(CLOSE_GRACE_MS);
    if (!(await settleWithin(this.queue.close(), CLOSE_GRACE_MS))) await settleWithin(this.queue.disconnect(), CLOSE_GRACE_MS);
  }
}
