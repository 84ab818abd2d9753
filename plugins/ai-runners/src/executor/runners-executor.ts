import { errors, type AIExecution, type AIExecutor, type AIModelOffer, type AIPipelineResult, type ContainersService, type LoggerService, type MetricsService } from '@lpx/sdk';
import { modelKey, type ModelPlan } from '../config/model-plan.js';
import type { RunnersConfig } from '../config/plugin-config.js';
import { adoptOrRemove } from '../fleet/adoption.js';
import { ExternalRunners } from '../fleet/external-runners.js';
import { ManagedRunners, type ManagedLease } from '../fleet/managed-runners.js';
import { RunnerImages, type BuiltInImage } from '../fleet/runner-images.js';
import { Watchdog } from '../fleet/watchdog.js';
import { probeGpus, type GpuProbeOptions } from '../gpu/gpu-probe.js';
import { checkHealth } from '../runner/runner-client.js';
import { planSlots } from '../slots/slot-plan.js';
import { SlotPool } from '../slots/slot-pool.js';
import { computeOffers } from './offers.js';
import { runOnLease, type RunnerLease } from './execute-request.js';
import { RunnerMetrics } from './runner-metrics.js';

export interface RunnersExecutorOptions {
  readonly config: RunnersConfig;
  readonly containers: ContainersService;
  readonly builtInImage: BuiltInImage;
  /** Short per-node tag in container names (from the data dir). */
  readonly nodeTag: string;
  readonly logger: LoggerService;
  readonly metrics?: MetricsService;
  readonly gpuProbe?: GpuProbeOptions;
}

/**
 * The `runners` AI executor: requests run on ai-runner containers this node
 * manages on GPU slots (warm models pinned, cold ones started on demand) and
 * on external runner URLs, all configured with go-livepeer's aiModels.
 */
export class RunnersExecutor implements AIExecutor {
  readonly name = 'runners';
  readonly #o: RunnersExecutorOptions;
  readonly #plans: Map<string, ModelPlan>;
  readonly #listeners = new Set<(offers: readonly AIModelOffer[]) => void>();
  readonly #stop = new AbortController();
  readonly #metrics: RunnerMetrics | undefined;
  readonly #externals: ExternalRunners;
  #pool = new SlotPool([]);
  #images: RunnerImages;
  #managed: ManagedRunners | undefined;
  #watchdog: Watchdog | undefined;
  #warming: Promise<void> = Promise.resolve();
  #booting: Promise<void> = Promise.resolve();
  #lastOffers = '';

  constructor(options: RunnersExecutorOptions) {
    this.#o = options;
    this.#plans = new Map(options.config.models.map((p) => [p.key, p]));
    this.#metrics = options.metrics ? new RunnerMetrics(options.metrics) : undefined;
    this.#images = new RunnerImages(options.containers, options.config.images, options.builtInImage, options.logger);
    this.#externals = new ExternalRunners(options.config.models, options.config.timeouts, options.logger, () => this.#changed());
  }

  /**
   * Starts in the background (image builds and warm starts take minutes, more
   * than a start hook may): GPU probe, image, adoption, then warm runners.
   * Offers move as runners come up; requests wait for the adoption step.
   */
  start(): void {
    this.#booting = this.#boot().catch((error: Error) => {
      if (!this.#stop.signal.aborted) this.#o.logger.error({ err: error }, `runners did not start: ${error.message}`);
    });
  }

  /** Resolves once slots are known and runners from a previous run were adopted or removed. */
  ready(): Promise<void> {
    return this.#booting;
  }

  async #boot(): Promise<void> {
    const { config, logger } = this.#o;
    const signal = this.#stop.signal;
    const externals = this.#externals.start(signal);
    const managedPlans = config.models.filter((p) => p.managed > 0);
    const gpus = await probeGpus(config.gpus, this.#o.gpuProbe);
    for (const gpu of gpus.gpus.filter((g) => !g.available)) logger.warn({ gpu: gpu.id }, `GPU ${gpu.id} is not usable (${gpu.reason}): its slot runs runners without a GPU`);
    if (config.gpus === 'all' && gpus.gpus.length === 0) logger.warn(`gpus: all, but no GPU was found (${gpus.reason}): one emulated slot, runners without a GPU`);
    this.#pool = new SlotPool(planSlots(gpus.gpus, config.containersPerGpu));
    this.#managed = new ManagedRunners({ containers: this.#o.containers, pool: this.#pool, images: this.#images, config, nodeTag: this.#o.nodeTag, logger, onChange: () => this.#changed(), signal });
    if (managedPlans.length > 0) {
      await this.#images.prepare(managedPlans.map((p) => p.pipeline), signal);
    }
    // Always look: a previous run may have left runners even if the config now has none.
    const { adopted, removed } = await adoptOrRemove({ containers: this.#o.containers, pool: this.#pool, plans: this.#plans, images: this.#images, config, nodeTag: this.#o.nodeTag, managed: this.#managed, logger }).catch((error: Error) => {
      if (managedPlans.length > 0) logger.error({ err: error }, `could not list runner containers: ${error.message}`);
      return { adopted: 0, removed: 0 };
    });
    if (adopted + removed > 0) logger.info({ adopted, removed }, `runners from a previous run: ${adopted} adopted, ${removed} removed`);
    this.#watchdog = new Watchdog(this.#managed, this.#o.containers, config.timeouts, logger);
    this.#watchdog.start();
    if (signal.aborted) return;
    const managed = this.#managed;
    // Each waits for one of warmConcurrency turns inside warm(): asking for all at once is fine.
    const warmStarts: Promise<void>[] = [];
    for (const plan of managedPlans.filter((p) => p.warm)) {
      const have = this.#pool.runners.filter((r) => r.modelKey === plan.key && r.warm).length;
      for (let i = have; i < plan.managed; i++) warmStarts.push(managed.warm(plan));
    }
    this.#warming = Promise.all([...warmStarts, externals]).then(() => undefined);
    this.#changed();
  }

  /**
   * Resolves when every warm runner has had its first attempt (up, or failed
   * and logged: retries go on with backoff while the node runs) and external
   * runners have answered or not.
   */
  async warmed(): Promise<void> {
    await this.#booting;
    await this.#warming;
  }

  /** Warm starts in flight now and the most ever at once (never above warmConcurrency). */
  warmStarts(): { readonly inFlight: number; readonly peak: number } {
    return this.#managed?.warmStarts ?? { inFlight: 0, peak: 0 };
  }

  offers(): readonly AIModelOffer[] {
    return computeOffers({
      plans: this.#o.config.models,
      pool: this.#pool,
      canStart: (plan) => this.#managed !== undefined && this.#images.isPresent(plan.pipeline),
      externalCapacity: (plan) => this.#externals.runners.filter((r) => r.plan.key === plan.key && r.healthy).reduce((sum, r) => sum + r.capacity, 0),
      versions: (plan) => [
        ...[...(this.#managed?.live.values() ?? [])].filter((r) => r.plan.key === plan.key).map((r) => r.version),
        ...this.#externals.runners.filter((r) => r.plan.key === plan.key && r.version !== undefined).map((r) => r.version!),
      ],
    });
  }

  watch(listener: (offers: readonly AIModelOffer[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async execute(execution: AIExecution): Promise<AIPipelineResult> {
    const { request, signal } = execution;
    const plan = this.#plans.get(modelKey(request.pipeline, request.modelId));
    if (!plan) throw errors.ai.MODEL_UNKNOWN.create(`runners: ${request.pipeline} ${request.modelId} is not in aiModels`, { details: { pipeline: request.pipeline, modelId: request.modelId } });
    await this.#booting;
    if (signal.aborted) throw errors.ai.CANCELLED.create('cancelled before a runner was chosen');
    const lease = await this.#lease(plan, signal);
    return runOnLease(execution, lease, this.#o.config.timeouts.requestMs);
  }

  async close(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort();
    await this.#booting;
    this.#externals.stop();
    await this.#watchdog?.stop();
    await this.#managed?.stop();
    await this.#warming.catch(() => undefined);
    this.#changed();
  }

  /** External runners first (go-livepeer prefers them: they scale themselves), else a managed runner. */
  async #lease(plan: ModelPlan, signal: AbortSignal): Promise<RunnerLease> {
    const external = this.#externals.acquire(plan.key);
    if (external) {
      let done = false;
      return {
        endpoint: external.endpoint,
        release: async (outcome) => {
          if (done) return;
          done = true;
          this.#externals.release(external);
          if (outcome === 'restart') await this.#externals.recheck(external);
        },
        alive: async () => {
          const health = await checkHealth(external.endpoint, this.#o.config.timeouts.healthMs);
          return health.ok && health.status !== 'ERROR';
        },
      };
    }
    if (plan.managed === 0 || !this.#managed) {
      throw errors.ai.NO_CAPACITY.create(`insufficient capacity: every external runner for ${plan.pipeline} ${plan.modelId} is busy or not answering`, { details: { pipeline: plan.pipeline, modelId: plan.modelId } });
    }
    const managed = this.#managed;
    const lease: ManagedLease = await managed.borrow(plan, signal);
    return {
      endpoint: lease.runner.endpoint,
      release: (outcome, reason) => managed.release(lease, outcome, reason),
      alive: async () => {
        const health = await checkHealth(lease.runner.endpoint, this.#o.config.timeouts.healthMs);
        return health.ok && health.status !== 'ERROR';
      },
    };
  }

  #changed(): void {
    this.#metrics?.update(this.#o.config.models, this.#pool);
    const offers = this.offers();
    const serialized = JSON.stringify(offers);
    if (serialized === this.#lastOffers) return;
    this.#lastOffers = serialized;
    for (const listener of this.#listeners) listener(offers);
  }
}
