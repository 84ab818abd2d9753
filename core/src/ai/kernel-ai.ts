/**
 * The kernel's AI, without any AI code: it owns `ai.pipelines` (every role)
 * and `ai.executors` (workers), declares `ai/<pipeline>` on orchestrators for
 * each pipeline plugin, runs the `ai/<pipeline>` processors on worker nodes
 * (concurrency = what the executors offer, heartbeated to Redis) and, on the
 * orchestrator, sums the live workers' offers per (pipeline, model) into the
 * registry — capacity, warm, runner version and price per model — and
 * dispatches paid requests as jobs (docs/adr/0031).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { aiCapabilityId, aiExecutorsExtensionPoint, queueNameFor, type AIModelOffer, type AIRequestLimits, type LoggerService, type PluginManifest } from '@lpx/sdk';
import type { BlobStore } from '../blobs/index.js';
import type { JobsRuntime } from '../boot/jobs-runtime.js';
import type { CapabilityRegistry } from '../capabilities/index.js';
import type { KernelConfig } from '../config/kernel-schema.js';
import { connectRedis } from '../redis/index.js';
import { aiDispatcher, type AIRunInput, type AIRunOutcome } from './ai-dispatch.js';
import { createAIMetrics, type AIMetrics } from './ai-metrics.js';
import { AIProcessorBinding } from './ai-processor-binding.js';
import { createAIProcessor } from './ai-processor.js';
import { AIWorkerDirectory, byWorker, parseAINote } from './ai-worker-directory.js';
import { advertiseModels } from './advertise-models.js';
import { AIExecutorRegistry } from './executor-registry.js';
import { ExecutorPicker } from './executor-picker.js';
import { summarizeOffers, type ModelSummary } from './model-offers.js';
import { AIPipelineRegistry } from './pipeline-registry.js';
import { aiModelsRouteSchema } from '../http/openapi/kernel-route-schemas.js';

export const AI_PROVIDER = 'kernel.ai';

export interface KernelAIOptions {
  readonly config: KernelConfig;
  readonly redisUrl: string;
  readonly store: BlobStore;
  readonly jobs: JobsRuntime;
  readonly logger: Logger;
  readonly metrics?: Registry;
}

export interface OrchestratorAI {
  run(input: AIRunInput): Promise<AIRunOutcome>;
  /** Reads the live workers now (tests, and the first answer after boot). */
  refresh(): Promise<readonly ModelSummary[]>;
}

interface RedisParts {
  readonly directory: AIWorkerDirectory;
  readonly commands: Redis;
  readonly sub: Redis;
}

export class KernelAI {
  readonly pipelines = new AIPipelineRegistry();
  readonly executors = new AIExecutorRegistry();
  readonly #options: KernelAIOptions;
  readonly #logger: Logger;
  readonly #metrics: AIMetrics;
  readonly #workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  readonly #running = new Map<string, () => void>();
  readonly #noteHandlers: ((message: string) => void)[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #unwatch: (() => void)[] = [];
  #declared: string[] = [];
  #worker = false;
  #network: readonly ModelSummary[] = [];
  #redis: Promise<RedisParts> | undefined;
  #closed = false;

  constructor(options: KernelAIOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'ai' });
    this.#metrics = createAIMetrics(options.metrics);
  }

  get workerId(): string {
    return this.#workerId;
  }

  /** Limits applied before a pipeline sees a request (config `ai.limits`). */
  get limits(): AIRequestLimits {
    return this.#options.config.ai.limits;
  }

  /** Capability ids the kernel declared (one per pipeline plugin, on orchestrators). */
  get declared(): readonly string[] {
    return this.#declared;
  }

  /** This process's executors' offers now (empty off worker nodes). */
  localOffers(): Record<string, readonly AIModelOffer[]> {
    const out: Record<string, readonly AIModelOffer[]> = {};
    for (const executor of this.executors.list()) {
      try {
        out[executor.name] = [...executor.offers()];
      } catch (error) {
        this.#logger.warn({ err: error, executor: executor.name }, 'an AI executor failed to list its offers');
        out[executor.name] = [];
      }
    }
    return out;
  }

  /** What the live workers offer together, as the orchestrator last read it. */
  get network(): readonly ModelSummary[] {
    return this.#network;
  }

  /**
   * Before the registry is published, on orchestrators: each pipeline plugin
   * makes the kernel the provider of `ai/<pipeline>`, with no models and no
   * capacity until workers report offers.
   */
  declare(registry: CapabilityRegistry, manifests: Iterable<PluginManifest>, roles: readonly string[]): void {
    if (!roles.includes('orchestrator') || this.pipelines.size === 0) return;
    const executorPlugins = [...manifests].filter((m) => m.requires?.extensionPoints?.includes(aiExecutorsExtensionPoint.id)).length;
    this.#logger.debug({ pipelines: this.pipelines.size, executorPlugins }, 'declaring AI capabilities; models come from live workers');
    for (const pipeline of this.pipelines.list()) {
      const id = aiCapabilityId(pipeline.name);
      const existing = registry.get(id);
      if (existing !== undefined) {
        this.#logger.warn({ capabilityId: id, providedBy: existing.providedBy }, 'an AI capability is declared by a plugin; the kernel does not dispatch it to AI executors');
        continue;
      }
      registry.declare(AI_PROVIDER, {
        id,
        version: 1,
        mode: pipeline.name === 'llm' ? 'stream' : 'request-response',
        workUnit: pipeline.unit,
        priceUnit: `wei/${pipeline.unit}`,
        description: `AI ${pipeline.name} on this node's AI workers`,
        capacity: 0,
        constraints: { models: {} },
      });
      this.#declared.push(id);
    }
  }

  /** The blob owner naming a job's Redis key, as the jobs kernel names its own job blobs. */
  ownerOf(capabilityId: string, jobId: string): string {
    const prefix = this.#options.config.redis.prefix;
    return `job:${prefix}|${prefix}:${queueNameFor(capabilityId)}:${jobId}`;
  }

  /**
   * On a worker node, before the job workers start: bind each pipeline's
   * processor with concurrency = the executors' offers for it, and keep that
   * and the Redis heartbeat in step as offers move.
   */
  async startWorker(): Promise<void> {
    if (this.executors.size === 0 || this.#worker) return;
    this.#worker = true;
    const picker = new ExecutorPicker(() => this.executors.list());
    const processor = createAIProcessor({
      store: this.#options.store,
      picker,
      pipeline: (name) => this.pipelines.get(name),
      ownerOf: (capabilityId, jobId) => this.ownerOf(capabilityId, jobId),
      relay: async () => (await this.#connect()).commands,
      prefix: this.#options.config.redis.prefix,
      running: this.#running,
      metrics: this.#metrics,
      logger: this.#logger,
    });
    const binding = new AIProcessorBinding(this.#options.jobs, processor, this.#logger);
    const apply = async (announce: boolean) => {
      const offers = this.localOffers();
      await binding.apply(offers, (name) => this.pipelines.get(name) !== undefined);
      await this.#beat(offers, announce);
    };
    await this.#connect();
    this.#noteHandlers.push((message) => {
      const note = parseAINote(message);
      if (note?.type === 'cancel') this.#running.get(note.jobId)?.();
    });
    for (const executor of this.executors.list()) {
      const unwatch = executor.watch?.(() => void apply(true).catch((error: unknown) => this.#logger.warn({ err: error }, 'applying AI offers failed')));
      if (unwatch !== undefined) this.#unwatch.push(unwatch);
    }
    await apply(true);
    this.#every(this.#options.config.ai.heartbeatMs, () => apply(false));
  }

  /** On the orchestrator: the dispatcher for the AI routes, or undefined when no pipeline is declared. */
  serveOrchestrator(options: { readonly registry: CapabilityRegistry }): OrchestratorAI | undefined {
    if (this.#declared.length === 0) return undefined;
    const refresh = async (): Promise<readonly ModelSummary[]> => {
      const { directory } = await this.#connect();
      const summaries = summarizeOffers(byWorker(await directory.live()));
      const changed = JSON.stringify(summaries.map((s) => [s.pipeline, s.modelId, s.capacity, s.warm, s.price])) !== JSON.stringify(this.#network.map((s) => [s.pipeline, s.modelId, s.capacity, s.warm, s.price]));
      this.#network = summaries;
      advertiseModels(options.registry, this.#declared, summaries, this.#metrics);
      if (changed) this.#logger.info({ models: summaries.map((s) => `${s.pipeline}:${s.modelId}×${s.capacity}`) }, 'AI models from live workers');
      return summaries;
    };
    const safeRefresh = () => refresh().catch((error: unknown) => this.#logger.warn({ err: error }, 'reading AI workers failed'));
    this.#noteHandlers.push((message) => {
      if (parseAINote(message)?.type === 'status') void safeRefresh();
    });
    void safeRefresh();
    this.#every(this.#options.config.ai.heartbeatMs, safeRefresh);
    const run = aiDispatcher({
      jobs: this.#options.jobs.service,
      store: this.#options.store,
      prefix: this.#options.config.redis.prefix,
      timeoutMs: this.#options.config.ai.requestTimeoutMs,
      ownerOf: (capabilityId, jobId) => this.ownerOf(capabilityId, jobId),
      blockingConnection: async () => {
        const connection = (await this.#connect()).commands.duplicate({ connectionName: 'lpx-ai-relay' });
        // duplicate() copies no listeners: without one, ioredis prints every refused reconnect to stderr.
        connection.on('error', (error) => this.#logger.debug({ err: error.message }, 'AI relay connection error (retrying)'));
        return connection;
      },
      cancel: (jobId) => void this.#connect().then(({ directory }) => directory.note({ type: 'cancel', jobId })).catch(() => undefined),
      logger: this.#logger,
    });
    return { run, refresh };
  }

  /** Units the orchestrator debited (lpx_ai_units_charged_total). */
  charged(pipeline: string, model: string, units: bigint): void {
    this.#metrics.charged(pipeline, model, units);
  }

  /** GET /v1/ai/models on the HTTP edge: pipelines, this worker's executors and the orchestrator's summed models. */
  registerRoutes(app: FastifyInstance): void {
    app.get('/v1/ai/models', { schema: aiModelsRouteSchema }, async () => this.status());
  }

  status() {
    return {
      workerId: this.#workerId,
      pipelines: this.pipelines.list().map((p) => ({ name: p.name, livepeerCapability: p.livepeerCapability, unit: p.unit, defaultModel: p.defaultModel, bodyKind: p.bodyKind, ...(p.async ? { async: true } : {}) })),
      executors: Object.entries(this.#worker ? this.localOffers() : {}).map(([name, offers]) => ({ name, offers })),
      ...(this.#declared.length > 0 ? { models: this.#network } : {}),
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    for (const unwatch of this.#unwatch.splice(0)) unwatch();
    const redis = this.#redis === undefined ? undefined : await this.#redis.catch(() => undefined);
    if (redis !== undefined) {
      if (this.#worker) await redis.directory.leave(this.#workerId).catch(() => undefined);
      redis.sub.disconnect();
      await redis.commands.quit().catch(() => redis.commands.disconnect());
    }
    if (this.#worker) {
      for (const executor of this.executors.list()) {
        await Promise.resolve()
          .then(() => executor.close?.())
          .catch((error: unknown) => this.#logger.warn({ err: error, executor: executor.name }, 'closing an AI executor failed'));
      }
    }
  }

  async #beat(executors: Record<string, readonly AIModelOffer[]>, announce: boolean): Promise<void> {
    if (this.#closed) return;
    try {
      const { directory } = await this.#connect();
      const heartbeatMs = this.#options.config.ai.heartbeatMs;
      await directory.beat({ workerId: this.#workerId, node: this.#options.config.node.name, at: Date.now(), executors }, 3 * heartbeatMs);
      if (announce) await directory.note({ type: 'status', workerId: this.#workerId });
    } catch (error) {
      this.#logger.warn({ err: error }, 'AI heartbeat failed');
    }
  }

  #every(ms: number, action: () => unknown): void {
    const timer = setInterval(() => void action(), ms);
    timer.unref();
    this.#timers.push(timer);
  }

  #connect(): Promise<RedisParts> {
    this.#redis ??= (async () => {
      const logger = this.#logger as unknown as LoggerService;
      const commands = await connectRedis(this.#options.redisUrl, { logger, connectionName: 'lpx-ai', connectTimeoutMs: this.#options.config.redis.connectTimeoutMs });
      const directory = new AIWorkerDirectory(commands, this.#options.config.redis.prefix);
      const sub = commands.duplicate({ connectionName: 'lpx-ai-sub' });
      sub.on('message', (channel, message) => {
        if (channel !== directory.channel) return;
        for (const handler of this.#noteHandlers) handler(message);
      });
      sub.on('error', (error) => this.#logger.debug({ err: error.message }, 'AI channel connection error (retrying)'));
      await sub.subscribe(directory.channel);
      return { directory, commands, sub };
    })();
    return this.#redis;
  }
}
