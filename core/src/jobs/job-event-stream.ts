import { QueueEvents, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobEvent, LoggerService } from '@lpx/sdk';
import type { ResultWaiters } from './result-waiters.js';
import { settleWithin } from './settle-within.js';

/** Our own stream entry for a failed attempt that will be retried; BullMQ only streams the final failure. */
export const RETRY_EVENT = 'lpx-retry';
/** Our own stream entry: a job opened its live stream (JobContext.stream); its submitter may start reading. */
export const STREAM_EVENT = 'lpx-stream';
const STREAM_MAX_LEN = '10000';
const CLOSE_GRACE_MS = 2_000;

type Listener = (event: JobEvent) => void;

/** Resolves results that were stored as blob references (see job-blobs.ts). */
export interface ResultDecoder {
  needsDecoding(value: unknown): boolean;
  decode(value: unknown): Promise<unknown>;
}

/**
 * One QueueEvents reader per capability queue, shared by every waiter and
 * listener in this process. It reads the queue's Redis stream, so events
 * raised by workers in other processes arrive here too.
 */
export class JobEventStream {
  readonly #queue: Queue;
  readonly #connection: Redis;
  readonly #capabilityId: string;
  readonly #waiters: ResultWaiters;
  readonly #logger: LoggerService | undefined;
  readonly #prefix: string;
  readonly #results: ResultDecoder | undefined;
  readonly #streamOpened: ((jobId: string) => void) | undefined;
  readonly #listeners = new Set<Listener>();
  readonly #idleStopMs: number;
  /** The reader now running (or starting); undefined while stopped. */
  #starting: Promise<QueueEvents> | undefined;
  #current: QueueEvents | undefined;
  /** Readers being closed after going idle; lane close waits for them. */
  readonly #stopping = new Set<Promise<unknown>>();
  #holds = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(deps: {
    queue: Queue;
    connection: Redis;
    prefix: string;
    capabilityId: string;
    waiters: ResultWaiters;
    logger: LoggerService | undefined;
    results?: ResultDecoder | undefined;
    streamOpened?: (jobId: string) => void;
    /** With no holds and no listeners left, the reader stops after this long (ADR 0065). */
    idleStopMs?: number;
  }) {
    this.#idleStopMs = deps.idleStopMs ?? 5_000;
    this.#results = deps.results;
    this.#streamOpened = deps.streamOpened;
    this.#queue = deps.queue;
    this.#connection = deps.connection;
    this.#prefix = deps.prefix;
    this.#capabilityId = deps.capabilityId;
    this.#waiters = deps.waiters;
    this.#logger = deps.logger;
  }

  /**
   * Starts reading from the stream's current tail. The XREVRANGE goes out on
   * the shared connection synchronously, ahead of any add() the caller sends
   * next, so no event of a job submitted after this call can be skipped even
   * if the blocking reader connects later.
   */
  ensureStarted(): Promise<void> {
    clearTimeout(this.#idleTimer);
    if (this.#starting === undefined) {
      const starting: Promise<QueueEvents> = this.#connection.xrevrange(this.#queue.toKey('events'), '+', '-', 'COUNT', 1).then((tail) => {
        const lastEventId = tail[0]?.[0] ?? '0-0';
        const events = new QueueEvents(this.#queue.name, { connection: this.#connection, prefix: this.#prefix, lastEventId });
        if (this.#starting === starting) this.#current = events;
        this.#bind(events);
        return events;
      });
      this.#starting = starting;
      // A failed start is not kept: the next caller tries again.
      starting.catch(() => {
        if (this.#starting === starting) this.#starting = undefined;
      });
    }
    return this.#starting.then(() => undefined);
  }

  /** Keeps the reader running until the returned release is called (event-demand.ts). */
  async hold(): Promise<() => void> {
    this.#holds++;
    try {
      await this.ensureStarted();
    } catch (error) {
      this.#holds--;
      this.#stopWhenIdle();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      this.#stopWhenIdle();
    };
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    this.ensureStarted().catch((error: unknown) => this.#logger?.error({ err: error, capabilityId: this.#capabilityId }, 'job event stream failed to start'));
    return () => {
      this.#listeners.delete(listener);
      this.#stopWhenIdle();
    };
  }

  /** A blocked XREAD holds a connection and wakes for every entry of every job: idle, it goes. */
  #stopWhenIdle(): void {
    if (this.#holds > 0 || this.#listeners.size > 0 || this.#starting === undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#stopIdle(), this.#idleStopMs).unref();
  }

  #stopIdle(): void {
    const starting = this.#starting;
    if (this.#holds > 0 || this.#listeners.size > 0 || starting === undefined) return;
    this.#starting = undefined;
    this.#current = undefined;
    const closing = starting.then((events) => this.#closeReader(events, CLOSE_GRACE_MS), () => undefined);
    this.#stopping.add(closing);
    void closing.finally(() => this.#stopping.delete(closing));
  }

  async #closeReader(events: QueueEvents, graceMs: number): Promise<void> {
    // With Redis unreachable a polite close waits for a reply that never comes; then cut the socket.
    if (!(await settleWithin(events.close(), graceMs))) {
      this.#logger?.warn({ capabilityId: this.#capabilityId }, 'job event stream did not close in time; disconnecting');
      await settleWithin(events.disconnect(), graceMs);
    }
  }

  async announceRetry(jobId: string, reason: string, attemptsMade: number): Promise<void> {
    await this.#connection.xadd(this.#queue.toKey('events'), 'MAXLEN', '~', STREAM_MAX_LEN, '*',
      'event', RETRY_EVENT, 'jobId', jobId, 'failedReason', reason, 'attemptsMade', String(attemptsMade));
  }

  async announceStream(jobId: string): Promise<void> {
    await this.#connection.xadd(this.#queue.toKey('events'), 'MAXLEN', '~', STREAM_MAX_LEN, '*', 'event', STREAM_EVENT, 'jobId', jobId);
  }

  async close(graceMs: number): Promise<void> {
    this.#listeners.clear();
    clearTimeout(this.#idleTimer);
    const starting = this.#starting;
    this.#starting = undefined;
    this.#current = undefined;
    const events = await starting?.catch(() => undefined);
    await Promise.all([...(events ? [this.#closeReader(events, graceMs)] : []), ...this.#stopping]);
  }

  #emit(event: JobEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener must not stop delivery to the others or the reader loop.
        this.#logger?.error({ err: error, capabilityId: this.#capabilityId }, 'job event listener threw');
      }
    }
  }

  #bind(events: QueueEvents): void {
    const capabilityId = this.#capabilityId;
    // A reader closing after going idle may still deliver a last batch: waiters ignore a second settle, listeners get it once.
    const listening = (): boolean => this.#listeners.size > 0 && this.#current === events;
    events.on('error', (error) => this.#logger?.debug({ err: error.message, capabilityId }, 'job event stream error (retrying)'));
    const completed = (jobId: string, result: unknown): void => {
      this.#waiters.settle(jobId, { state: 'completed', result });
      if (listening()) this.#emit({ type: 'completed', capabilityId, jobId, result });
    };
    events.on('completed', ({ jobId, returnvalue }) => {
      const results = this.#results;
      // Inline results settle synchronously, as before; only a referenced one waits for its blob.
      if (!results?.needsDecoding(returnvalue)) return completed(jobId, returnvalue);
      results.decode(returnvalue).then(
        (result) => completed(jobId, result),
        (error: unknown) => {
          this.#logger?.warn({ err: error, capabilityId, jobId }, 'job result blob could not be read');
          this.#waiters.reject(jobId, error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
    events.on('failed', ({ jobId, failedReason }) => {
      this.#waiters.settle(jobId, { state: 'failed', reason: failedReason });
      if (listening()) void this.#emitFinalFailure(jobId, failedReason);
    });
    events.on('active', ({ jobId }) => listening() && this.#emit({ type: 'active', capabilityId, jobId }));
    events.on('stalled', ({ jobId }) => listening() && this.#emit({ type: 'stalled', capabilityId, jobId }));
    events.on('progress', ({ jobId, data }) => {
      if (listening()) this.#emit({ type: 'progress', capabilityId, jobId, progress: data as number | Record<string, unknown> });
    });
    // Custom events are not in BullMQ's listener map, hence the loose signature.
    (events as unknown as NodeJS.EventEmitter).on(STREAM_EVENT, (args: { jobId: string }) => this.#streamOpened?.(args.jobId));
    (events as unknown as NodeJS.EventEmitter).on(RETRY_EVENT, (args: { jobId: string; failedReason: string; attemptsMade: string }) => {
      if (listening()) {
        this.#emit({ type: 'failed', capabilityId, jobId: args.jobId, reason: args.failedReason, attemptsMade: Number(args.attemptsMade), final: false });
      }
    });
  }

  /** The stream entry has no attempt count; one read on the (rare) failure path supplies it. */
  async #emitFinalFailure(jobId: string, reason: string): Promise<void> {
    const job = await this.#queue.getJob(jobId).catch(() => undefined);
    this.#emit({ type: 'failed', capabilityId: this.#capabilityId, jobId, reason, attemptsMade: job?.attemptsMade ?? 0, final: true });
  }
}
