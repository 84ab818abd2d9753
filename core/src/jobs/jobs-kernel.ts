import { errors, isCapabilityId, type JobEvent, type JobProcessor, type JobsService, type JobStatus, type LoggerService, type ProcessorOptions, type SubmitOptions, type WaitOptions } from '@lpx/sdk';
import { connectRedis, type ConnectRedisOptions } from '../redis/connect.js';
import { CapabilityLane } from './capability-lane.js';
import { checkConcurrency, type KernelWaitOptions } from './job-options.js';
import { resolveKernelOptions, type JobsKernelOptions, type ResolvedKernelOptions } from './jobs-kernel-options.js';
import { createJobsMetrics, type JobsMetrics } from './jobs-metrics.js';
import { JobBlobs } from './job-blobs.js';
import { createPluginJobsService } from './plugin-jobs-service.js';
import { settleWithin } from './settle-within.js';
import { randomUUID } from 'node:crypto';
import { openRelay, relayKey, RelayReader, type RelayOpening } from './stream-relay.js';
import { InlineLedger } from './inline-ledger.js';

/**
 * The node's one owner of BullMQ objects. Queues, event readers and workers
 * are created per capability on first use, so a node pays only for the
 * capabilities it touches. Processors bound during plugin init are held until
 * start(), so no job runs before every plugin is up.
 */
export class JobsKernel implements JobsService {
  readonly #options: ResolvedKernelOptions;
  readonly #raw: JobsKernelOptions;
  readonly #logger: LoggerService | undefined;
  readonly #metrics: JobsMetrics;
  readonly #lanes = new Map<string, CapabilityLane>();
  readonly #blobs: JobBlobs | undefined;
  /** Synchronous jobs run in this process without the queue (ADR 0067), and the sweep of dead processes' ones. */
  readonly #ledger: InlineLedger;
  #started = false;
  #closing: Promise<void> | undefined;

  constructor(options: JobsKernelOptions) {
    this.#raw = options;
    this.#options = resolveKernelOptions(options);
    this.#logger = options.logger;
    this.#metrics = options.observer ?? createJobsMetrics(options.metrics);
    this.#blobs = options.blobs ? new JobBlobs(options.blobs, this.#options.prefix, options.connection, options.logger) : undefined;
    this.#ledger = new InlineLedger({ connection: options.connection, prefix: this.#options.prefix, leaseMs: this.#options.lockDurationMs, logger: options.logger });
  }

  /** Connects to `url` (failing fast with LPX_ERR_REDIS_UNREACHABLE) and returns a kernel that owns the connection. */
  static async connect(url: string, options: Omit<JobsKernelOptions, 'connection' | 'ownsConnection'> & { redis?: ConnectRedisOptions } = {}): Promise<JobsKernel> {
    const { redis, ...rest } = options;
    const connection = await connectRedis(url, { ...(options.logger ? { logger: options.logger } : {}), connectionName: 'lpx-jobs', ...redis });
    return new JobsKernel({ ...rest, connection, ownsConnection: true });
  }

  get prefix(): string {
    return this.#options.prefix;
  }

  get started(): boolean {
    return this.#started;
  }

  /** Starts a worker for every bound processor; processors bound later start at once. */
  start(): void {
    this.#assertOpen();
    this.#started = true;
    for (const lane of this.#lanes.values()) lane.startWorker();
    this.#sweepWhenWorking();
  }

  /**
   * A kernel with workers sweeps the inline ledgers of dead processes on the
   * stalled-job interval, as its workers look for stalled jobs (ADR 0067).
   */
  #sweepWhenWorking(): void {
    if (![...this.#lanes.values()].some((lane) => lane.hasProcessor)) return;
    this.#ledger.startSweeping(this.#options.stalledIntervalMs, (jobId, entry) => this.#lane(entry.capabilityId).handOver(jobId, entry));
  }

  /** Queues the inline jobs of processes whose lease lapsed, now (the sweep's interval does it anyway); returns how many. */
  sweepInline(): Promise<number> {
    this.#assertOpen();
    return this.#ledger.sweep((jobId, entry) => this.#lane(entry.capabilityId).handOver(jobId, entry));
  }

  /** A JobsService that may bind processors only for the capabilities the plugin declared. */
  forPlugin(pluginId: string, declaredCapabilityIds: readonly string[], registeredAtRuntime?: (capabilityId: string) => boolean): JobsService {
    return createPluginJobsService(this, pluginId, declaredCapabilityIds, registeredAtRuntime);
  }

  registerProcessor<Input, Output>(capabilityId: string, processor: JobProcessor<Input, Output>, options: ProcessorOptions = {}): void {
    this.#assertOpen();
    const concurrency = checkConcurrency(capabilityId, options.concurrency ?? 1);
    const lane = this.#lane(capabilityId);
    lane.bind(processor as JobProcessor<unknown, unknown>, concurrency);
    if (this.#started) {
      lane.startWorker();
      this.#sweepWhenWorking();
    }
  }

  /** Jobs this process runs at once for a bound capability; 0 pauses its worker (kernel-only, for capacity that moves). */
  setConcurrency(capabilityId: string, concurrency: number): Promise<void> {
    if (concurrency !== 0) checkConcurrency(capabilityId, concurrency);
    // Executors keep reporting capacity while the node stops (their containers go away after the workers drained).
    if (this.#closing) return Promise.resolve();
    return this.#lanes.get(capabilityId)?.setConcurrency(concurrency) ?? Promise.resolve();
  }

  submit<Input>(capabilityId: string, data: Input, options?: SubmitOptions): Promise<{ id: string }> {
    return this.#withLane(capabilityId, (lane) => lane.submit(data, options));
  }

  submitAndWait<Input, Output>(capabilityId: string, data: Input, options?: KernelWaitOptions): Promise<Output> {
    return this.#withLane(capabilityId, (lane) => lane.submitAndWait(data, options) as Promise<Output>);
  }

  getStatus<Output = unknown>(capabilityId: string, jobId: string): Promise<JobStatus<Output> | undefined> {
    return this.#withLane(capabilityId, (lane) => lane.getStatus<Output>(jobId));
  }

  onEvent(capabilityId: string, listener: (event: JobEvent) => void): () => void {
    this.#assertOpen();
    return this.#lane(capabilityId).onEvent(listener);
  }

  /**
   * submitAndWait for a job whose processor may stream (JobContext.stream):
   * the result when it answers whole, or its stream as it is written. The
   * blocking reader and its Redis connection exist only once the job has
   * announced its stream on the queue's events (or, should that event be
   * missed, when the job ended with a stream left in Redis), so a job that
   * answers whole costs no connection of its own. `unended` is thrown by
   * `rest` when the job ends before its stream does.
   */
  async submitAndStream<Input, Output>(capabilityId: string, data: Input, options: KernelWaitOptions & { unended: () => Error }): Promise<RelayOpening<Output>> {
    const { unended, ...wait } = options;
    const freshId = wait.freshId === true || wait.jobId === undefined;
    const jobId = wait.jobId ?? randomUUID();
    const lane = await this.#withLane(capabilityId, async (found) => found);
    const announced = lane.streamOpened(jobId);
    const done = lane.submitAndWait(data, { ...wait, jobId, freshId }) as Promise<Output>;
    done.catch(() => undefined);
    let streamed: boolean;
    let completedHere = false;
    try {
      streamed = await Promise.race([announced.opened.then(() => true), done.then(() => false, () => false)]);
    } finally {
      ({ completedHere } = announced.cancel());
    }
    // A job completed elsewhere may have streamed without this process hearing of it yet: ask Redis.
    if (!streamed && !completedHere) streamed = (await this.#raw.connection.exists(relayKey(this.#options.prefix, jobId))) > 0;
    if (!streamed) return { kind: 'result', result: await done };
    const { reader, close } = this.streamReader(jobId);
    return openRelay(reader, done, close, unended);
  }

  /**
   * Reads a job's stream (JobContext.stream) on a connection of its own (XREAD
   * BLOCK holds it); `close` removes the key and drops the connection.
   */
  streamReader(jobId: string): { reader: RelayReader; close: () => Promise<void> } {
    this.#assertOpen();
    const connection = this.#raw.connection.duplicate({ connectionName: 'lpx-job-stream' });
    // duplicate() copies no listeners: without one, ioredis prints every refused reconnect to stderr.
    connection.on('error', (error) => this.#logger?.debug({ err: error.message, jobId }, 'job stream connection error (retrying)'));
    const reader = new RelayReader(connection, relayKey(this.#options.prefix, jobId));
    return {
      reader,
      close: async () => {
        await reader.remove().catch(() => undefined);
        connection.disconnect();
      },
    };
  }

  /** Deletes blobs of this kernel's jobs that are gone from Redis; runs periodically once a queue is used. */
  reapBlobs(): Promise<number> {
    return this.#blobs?.reap() ?? Promise.resolve(0);
  }

  /** Capabilities whose lane this process has opened (queue depth metrics read these). */
  capabilityIds(): readonly string[] {
    return [...this.#lanes.keys()];
  }

  /** The BullMQ Queue behind a capability, for kernel code (admin routes, metrics) — not for plugins. */
  queueFor(capabilityId: string): CapabilityLane['queue'] {
    return this.#lane(capabilityId).queue;
  }

  /**
   * Stop taking jobs, wait for active ones up to the drain timeout, then close
   * workers, event readers and queues, and the connection if the kernel owns it.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#blobs?.stopReaper();
      const lanes = [...this.#lanes.values()];
      const results = await Promise.allSettled(lanes.map((lane) => lane.close()));
      for (const result of results) {
        if (result.status === 'rejected') this.#logger?.warn({ err: result.reason }, 'closing a job queue failed');
      }
      await this.#ledger.close().catch((error: unknown) => this.#logger?.warn({ err: error }, 'leaving the inline job ledger failed; its lease lapses'));
      if (this.#raw.ownsConnection) {
        const { connection } = this.#raw;
        // QUIT waits for Redis; if it is gone, drop the socket instead of hanging shutdown.
        if (!(await settleWithin(connection.quit(), 2_000))) connection.disconnect();
      }
    })();
    return this.#closing;
  }

  #assertOpen(): void {
    if (this.#closing) throw errors.jobs.CLOSED.create('the jobs service is closed and accepts no new work');
  }

  async #withLane<T>(capabilityId: string, action: (lane: CapabilityLane) => Promise<T>): Promise<T> {
    this.#assertOpen();
    return action(this.#lane(capabilityId));
  }

  #lane(capabilityId: string): CapabilityLane {
    let lane = this.#lanes.get(capabilityId);
    if (lane) return lane;
    if (!isCapabilityId(capabilityId)) {
      throw errors.capability.INVALID_ID.create(`'${capabilityId}' is not a capability id (<domain>/<name>, lowercase, no ':')`);
    }
    lane = new CapabilityLane({ capabilityId, connection: this.#raw.connection, options: this.#options, logger: this.#logger, metrics: this.#metrics, blobs: this.#blobs, ledger: this.#ledger });
    this.#blobs?.startReaper();
    this.#lanes.set(capabilityId, lane);
    return lane;
  }
}
