/**
 * The kernel's transcoding, without any transcoding code: it owns the
 * `transcode.backends` extension point, declares `video/transcode` when a
 * backend plugin is configured, runs the BullMQ processor on worker nodes
 * (probing backends, sizing concurrency to their capacity, heartbeating
 * their status to Redis) and, on the orchestrator, sums the live workers
 * into what the node advertises and turns /segment into transcode jobs.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { queueNameFor, transcodeBackendsExtensionPoint, type LoggerService, type PluginManifest, type TranscodeBackendStatus } from '@lpx/sdk';
import type { BlobStore } from '../blobs/index.js';
import type { JobsRuntime } from '../boot/jobs-runtime.js';
import type { CapabilityRegistry } from '../capabilities/index.js';
import type { KernelConfig } from '../config/kernel-schema.js';
import type { Transcoder } from '../network/segment/segment-route.js';
import { connectRedis } from '../redis/index.js';
import { BackendMonitor } from './backend-monitor.js';
import { BackendPicker } from './backend-picker.js';
import { ProcessorBinding } from './processor-binding.js';
import { TranscodeBackendRegistry } from './backend-registry.js';
import { RenditionLinks } from './rendition-links.js';
import { segmentTranscoder } from './segment-transcoder.js';
import { createTranscodeMetrics, type TranscodeMetrics } from './transcode-metrics.js';
import { createTranscodeProcessor } from './transcode-processor.js';
import { TRANSCODE_CAPABILITY } from './transcode-job.js';
import { advertiseOffer, combineOffers, parseNote, WorkerDirectory, type TranscodeOffer } from './worker-directory.js';
import { transcodeBackendsRouteSchema } from '../http/openapi/kernel-route-schemas.js';

export const TRANSCODE_PROVIDER = 'kernel.transcode';

export interface KernelTranscodeOptions {
  readonly config: KernelConfig;
  readonly redisUrl: string;
  readonly store: BlobStore;
  readonly jobs: JobsRuntime;
  readonly logger: Logger;
  readonly metrics?: Registry;
}

export interface OrchestratorTranscode {
  readonly transcode: Transcoder;
  readonly links: RenditionLinks;
  /** Called with the live workers' summed capacity whenever it changes (maxSessions: auto). */
  onCapacity(listener: (capacity: number) => void): void;
  /** Reads the workers now (tests, and the first answer after boot). */
  refresh(): Promise<TranscodeOffer>;
}

const EMPTY_OFFER: TranscodeOffer = { capacity: 0, decode: [], encode: [], formats: [], workers: 0 };

export class KernelTranscode {
  readonly backends = new TranscodeBackendRegistry();
  readonly #options: KernelTranscodeOptions;
  readonly #logger: Logger;
  readonly #metrics: TranscodeMetrics;
  readonly #workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly #noteHandlers: ((message: string) => void)[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  #declared = false;
  #monitor: BackendMonitor | undefined;
  #redis: Promise<{ directory: WorkerDirectory; commands: Redis; sub: Redis }> | undefined;
  #offer: TranscodeOffer = EMPTY_OFFER;
  #closed = false;

  constructor(options: KernelTranscodeOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'transcode' });
    this.#metrics = createTranscodeMetrics(options.metrics);
  }

  /** True when the kernel declared video/transcode (a backend plugin is configured). */
  get declared(): boolean {
    return this.#declared;
  }

  get workerId(): string {
    return this.#workerId;
  }

  /** This worker's backends as last probed; empty where none was probed (no worker role). */
  statuses(): Record<string, TranscodeBackendStatus> {
    return Object.fromEntries(this.#monitor?.statuses ?? []);
  }

  /** The live workers' combined offer as the orchestrator last read it. */
  get offer(): TranscodeOffer {
    return this.#offer;
  }

  /**
   * Before the registry is published: a configured plugin that adds transcode
   * backends makes the kernel the provider of video/transcode, priced like
   * go-livepeer's base price and empty until workers report capacity.
   */
  declare(registry: CapabilityRegistry, manifests: Iterable<PluginManifest>): void {
    const wanted = [...manifests].some((m) => m.requires?.extensionPoints?.includes(transcodeBackendsExtensionPoint.id)) || this.backends.size > 0;
    if (!wanted) return;
    const existing = registry.get(TRANSCODE_CAPABILITY);
    if (existing !== undefined) {
      this.#logger.warn({ providedBy: existing.providedBy }, 'video/transcode is declared by a plugin; the kernel does not dispatch it to transcode backends');
      return;
    }
    const settings = this.#options.config.orchestrator;
    registry.declare(TRANSCODE_PROVIDER, {
      id: TRANSCODE_CAPABILITY,
      version: 1,
      mode: 'request-response',
      workUnit: 'pixel',
      priceUnit: 'wei/pixel',
      description: 'Video transcoding on this node\'s transcode workers (transcode backend plugins)',
      capacity: 0,
      constraints: { transcode: { decode: [], encode: [], formats: [] } },
      price: { pricePerUnit: settings.pricePerUnit, pixelsPerUnit: settings.pixelsPerUnit },
    });
    this.#declared = true;
  }

  /** The blob owner naming a transcode job's Redis key, as the jobs kernel names its own job blobs (job-blobs.ts). */
  ownerOf(jobId: string): string {
    const prefix = this.#options.config.redis.prefix;
    return `job:${prefix}|${prefix}:${queueNameFor(TRANSCODE_CAPABILITY)}:${jobId}`;
  }

  /**
   * On a worker node, before the job workers start: probe every backend
   * (bounded, never fatal), bind the processor if any is available, and keep
   * concurrency and the Redis heartbeat in step with the statuses.
   */
  async startWorker(): Promise<void> {
    if (this.backends.size === 0 || this.#monitor !== undefined) return;
    const settings = this.#options.config.transcode;
    const monitor = new BackendMonitor({ backends: this.backends.list(), probeTimeoutMs: settings.probeTimeoutMs, reprobeIntervalMs: settings.reprobeIntervalMs, logger: this.#logger, metrics: this.#metrics });
    this.#monitor = monitor;
    const picker = new BackendPicker((sessionId, name) => {
      try {
        this.backends.get(name)?.endSession?.(sessionId);
      } catch (error) {
        this.#logger.warn({ err: error, backend: name, sessionId }, 'transcode backend endSession failed');
      }
    });
    await monitor.start();
    const { jobs, store } = this.#options;
    const binding = new ProcessorBinding(
      jobs,
      createTranscodeProcessor({ store, picker, backends: (name) => this.backends.get(name), statuses: () => monitor.statuses, ownerOf: (jobId) => this.ownerOf(jobId), metrics: this.#metrics, logger: this.#logger }),
      this.#logger,
    );
    await binding.apply(monitor.capacity);
    monitor.onChange(() => {
      void binding
        .apply(monitor.capacity)
        .then(() => this.#beat(true))
        .catch((error: unknown) => this.#logger.warn({ err: error }, 'applying a transcode backend change failed'));
    });
    await this.#connect();
    this.#noteHandlers.push((message) => {
      const note = parseNote(message);
      if (note?.type === 'end-session') picker.endSession(note.sessionId);
    });
    await this.#beat(true);
    this.#every(settings.heartbeatMs, () => this.#beat(false));
  }

  /** On the orchestrator: the /segment transcoder and the rendition links, or undefined when the kernel does not provide video/transcode. */
  serveOrchestrator(options: { readonly registry: CapabilityRegistry; readonly sign: (message: Uint8Array) => Promise<Uint8Array>; readonly serviceUri: () => string; readonly links?: RenditionLinks }): OrchestratorTranscode | undefined {
    if (!this.#declared) return undefined;
    const listeners: ((capacity: number) => void)[] = [];
    const refresh = async (): Promise<TranscodeOffer> => {
      const { directory } = await this.#connect();
      const offer = combineOffers(await directory.live());
      const previous = this.#offer;
      this.#offer = offer;
      advertiseOffer(options.registry, TRANSCODE_CAPABILITY, offer);
      if (previous.capacity !== offer.capacity || previous.workers !== offer.workers) {
        this.#logger.info({ capacity: offer.capacity, workers: offer.workers, encode: offer.encode }, 'transcode capacity from live workers');
        for (const listener of listeners) listener(offer.capacity);
      }
      return offer;
    };
    const safeRefresh = () => refresh().catch((error: unknown) => this.#logger.warn({ err: error }, 'reading transcode workers failed'));
    this.#noteHandlers.push((message) => {
      if (parseNote(message)?.type === 'status') void safeRefresh();
    });
    void safeRefresh();
    this.#every(this.#options.config.transcode.heartbeatMs, safeRefresh);
    // One links table per front door: AI result files are served by the same /v1/blobs/<id> route.
    const links = options.links ?? new RenditionLinks(this.#options.store);
    const transcode = segmentTranscoder({
      jobs: this.#options.jobs.service,
      store: this.#options.store,
      links,
      serviceUri: options.serviceUri,
      sign: options.sign,
      capacity: () => this.#offer.capacity,
      ownerOf: (jobId) => this.ownerOf(jobId),
      logger: this.#logger,
    });
    return { transcode, links, onCapacity: (listener) => listeners.push(listener), refresh };
  }

  /** A gateway session ended (EndTranscodingSession, or idled out): every worker frees what its backend held. */
  endSession(sessionId: string): void {
    if (!this.#declared || this.#closed) return;
    void this.#connect()
      .then(({ directory }) => directory.note({ type: 'end-session', sessionId }))
      .catch((error: unknown) => this.#logger.debug({ err: error, sessionId }, 'announcing a session end failed'));
  }

  /** GET /v1/transcode/backends on the HTTP edge: this node's backends as last probed. */
  registerRoutes(app: FastifyInstance): void {
    app.get('/v1/transcode/backends', { schema: transcodeBackendsRouteSchema }, async () => ({
      workerId: this.#workerId,
      probed: this.#monitor !== undefined,
      backends: Object.entries(this.statuses()).map(([name, status]) => ({ name, ...status })),
      ...(this.#declared && this.#offer.workers > 0 ? { network: this.#offer } : {}),
    }));
  }

  /** After the job workers drained: leave the directory, stop probing, close the backends. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    this.#monitor?.close();
    const redis = this.#redis === undefined ? undefined : await this.#redis.catch(() => undefined);
    if (redis !== undefined) {
      if (this.#monitor !== undefined) await redis.directory.leave(this.#workerId).catch(() => undefined);
      redis.sub.disconnect();
      await redis.commands.quit().catch(() => redis.commands.disconnect());
    }
    if (this.#monitor !== undefined) {
      for (const backend of this.backends.list()) {
        await Promise.resolve()
          .then(() => backend.close?.())
          .catch((error: unknown) => this.#logger.warn({ err: error, backend: backend.name }, 'closing a transcode backend failed'));
      }
    }
  }

  async #beat(announce: boolean): Promise<void> {
    const monitor = this.#monitor;
    if (monitor === undefined || this.#closed) return;
    try {
      const { directory } = await this.#connect();
      const heartbeatMs = this.#options.config.transcode.heartbeatMs;
      await directory.beat({ workerId: this.#workerId, node: this.#options.config.node.name, at: Date.now(), backends: Object.fromEntries(monitor.statuses) }, 3 * heartbeatMs);
      if (announce) await directory.note({ type: 'status', workerId: this.#workerId });
    } catch (error) {
      this.#logger.warn({ err: error }, 'transcode heartbeat failed');
    }
  }

  #every(ms: number, action: () => unknown): void {
    const timer = setInterval(() => void action(), ms);
    timer.unref();
    this.#timers.push(timer);
  }

  #connect(): Promise<{ directory: WorkerDirectory; commands: Redis; sub: Redis }> {
    this.#redis ??= (async () => {
      const logger = this.#logger as unknown as LoggerService;
      const commands = await connectRedis(this.#options.redisUrl, { logger, connectionName: 'lpx-transcode', connectTimeoutMs: this.#options.config.redis.connectTimeoutMs });
      const directory = new WorkerDirectory(commands, this.#options.config.redis.prefix);
      const sub = commands.duplicate({ connectionName: 'lpx-transcode-sub' });
      sub.on('message', (channel, message) => {
        if (channel !== directory.channel) return;
        for (const handler of this.#noteHandlers) handler(message);
      });
      sub.on('error', (error) => this.#logger.debug({ err: error.message }, 'transcode channel connection error (retrying)'));
      await sub.subscribe(directory.channel);
      return { directory, commands, sub };
    })();
    return this.#redis;
  }
}
