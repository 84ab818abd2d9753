import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { errors, type AIRunnerEndpoint, type ContainersService, type LoggerService } from '@lpx/sdk';
import type { RunnersConfig } from '../config/plugin-config.js';
import type { ModelPlan } from '../config/model-plan.js';
import { runnerSpec } from '../containers/runner-spec.js';
import { destroyRunner, startRunner, type StartedRunner } from '../containers/start-runner.js';
import type { WatchState } from '../runner/watchdog-policy.js';
import type { SlotPool, PooledRunner } from '../slots/slot-pool.js';
import type { RunnerImages } from './runner-images.js';
import { warmRetryDelayMs, type WarmRetryPolicy } from './warm-retry.js';

/** A managed runner that is up, as the pool, the watchdog and leases see it. */
export interface LiveRunner {
  readonly pooled: PooledRunner;
  readonly plan: ModelPlan;
  containerId: string;
  endpoint: AIRunnerEndpoint;
  version: string;
  watch: WatchState;
  /** Bumped at every borrow, so a late release of an earlier lease does nothing. */
  lease: number;
}

export interface ManagedLease {
  readonly runner: LiveRunner;
  readonly lease: number;
}

export interface ManagedRunnersOptions {
  readonly containers: ContainersService;
  readonly pool: SlotPool;
  readonly images: RunnerImages;
  readonly config: RunnersConfig;
  readonly nodeTag: string;
  readonly logger: LoggerService;
  /** Offers or usage moved. */
  readonly onChange: () => void;
  /** Aborted when the node stops: starts in flight give up. */
  readonly signal: AbortSignal;
}

/**
 * Managed runner containers on slots: starting them (warm at start, cold on
 * demand), lending them one request at a time, destroying and re-warming.
 * go-livepeer's DockerManager, with the slot decisions in SlotPool.
 */
export class ManagedRunners {
  readonly live = new Map<string, LiveRunner>();
  #stopping = false;
  /** Warm starts take turns (config.warmConcurrency): on a small machine, all at once starve each other past their timeouts. */
  readonly #limit: LimitFunction;
  readonly #retryPolicy: WarmRetryPolicy;
  readonly #retrying = new Set<Promise<void>>();
  readonly #warmStarts = { inFlight: 0, peak: 0 };

  constructor(private readonly o: ManagedRunnersOptions) {
    this.#limit = pLimit(o.config.warmConcurrency);
    this.#retryPolicy = { initialMs: o.config.timeouts.warmRetryMs, maxMs: o.config.timeouts.warmRetryMaxMs };
  }

  /**
   * Starts a pinned runner for a warm model. Resolves after the first
   * attempt: the runner is up, or the attempt failed (logged) and further
   * attempts go on in the background with backoff until one succeeds or the
   * node stops. A warm model must not stay at capacity 0 because its start
   * once hit a busy engine.
   */
  async warm(plan: ModelPlan): Promise<void> {
    const first = await this.#limit(() => this.#warmAttempt(plan, 1));
    if (first !== 'failed') return;
    const retrying = this.#retryWarm(plan).catch((error: Error) => this.o.logger.error({ err: error }, `warm retries for ${plan.pipeline} ${plan.modelId} stopped: ${error.message}`));
    this.#retrying.add(retrying);
    void retrying.finally(() => this.#retrying.delete(retrying));
  }

  async #retryWarm(plan: ModelPlan): Promise<void> {
    for (let failed = 1; ; failed++) {
      try {
        await sleep(warmRetryDelayMs(failed, this.#retryPolicy), undefined, { signal: this.o.signal });
      } catch {
        return; // the node is stopping
      }
      if ((await this.#limit(() => this.#warmAttempt(plan, failed + 1))) !== 'failed') return;
    }
  }

  /** One start of a warm runner, holding one of the warmConcurrency turns. */
  async #warmAttempt(plan: ModelPlan, attempt: number): Promise<'up' | 'failed' | 'given-up'> {
    if (this.#stopping || this.o.signal.aborted) return 'given-up';
    const allocation = this.o.pool.allocate(plan.key, true);
    if (allocation.kind === 'none') {
      // While a retry waited, a cold runner may have taken the slot for a request: wait for it like any failure.
      if (this.o.pool.runners.some((r) => !r.warm)) {
        this.o.logger.warn({ pipeline: plan.pipeline, model: plan.modelId, attempt }, `no free slot to keep ${plan.pipeline} ${plan.modelId} warm yet (cold runners are busy); trying again in ${warmRetryDelayMs(attempt, this.#retryPolicy)} ms`);
        return 'failed';
      }
      this.o.logger.error({ pipeline: plan.pipeline, model: plan.modelId }, `no free slot to keep ${plan.pipeline} ${plan.modelId} warm: every slot holds a warm runner (add GPUs or containersPerGpu)`);
      return 'given-up';
    }
    this.#warmStarts.inFlight++;
    this.#warmStarts.peak = Math.max(this.#warmStarts.peak, this.#warmStarts.inFlight);
    try {
      if (allocation.kind === 'evict') await this.#destroyContainerOf(allocation.evicted, 'evicted for a warm model');
      const live = await this.#start(allocation.runner, plan, true, undefined, attempt > 1);
      this.o.pool.setState(live.pooled.key, live.pooled.state);
      if (attempt > 1) this.o.logger.info({ pipeline: plan.pipeline, model: plan.modelId, attempt }, `warm runner for ${plan.pipeline} ${plan.modelId} started at attempt ${attempt}`);
      return 'up';
    } catch (error) {
      if (this.#stopping || this.o.signal.aborted) return 'given-up';
      const nextMs = warmRetryDelayMs(attempt, this.#retryPolicy);
      this.o.logger.error({ err: error, pipeline: plan.pipeline, model: plan.modelId, attempt, retryInMs: nextMs }, `warm runner for ${plan.pipeline} ${plan.modelId} did not start (attempt ${attempt}): ${(error as Error).message}; trying again in ${nextMs} ms`);
      return 'failed';
    } finally {
      this.#warmStarts.inFlight--;
      this.o.onChange();
    }
  }

  /** Warm starts in flight now and the most ever at once (bounded by warmConcurrency). */
  get warmStarts(): { readonly inFlight: number; readonly peak: number } {
    return { ...this.#warmStarts };
  }

  /** An idle runner of the model, or a new one on a free or evictable slot; NO_CAPACITY when neither. */
  async borrow(plan: ModelPlan, signal: AbortSignal): Promise<ManagedLease> {
    const idle = this.o.pool.borrowIdle(plan.key);
    if (idle) {
      const runner = this.live.get(idle.key)!;
      runner.lease++;
      this.o.onChange();
      return { runner, lease: runner.lease };
    }
    if (!(await this.o.images.present(plan.pipeline))) {
      throw errors.ai.NO_CAPACITY.create(`insufficient capacity: no runner image for ${plan.pipeline} (${this.o.images.refFor(plan.pipeline) ?? 'the reference image was not built'})`);
    }
    const allocation = this.o.pool.allocate(plan.key, false);
    if (allocation.kind === 'none') {
      throw errors.ai.NO_CAPACITY.create(`insufficient capacity: every runner slot is busy or holds a warm model (${plan.pipeline} ${plan.modelId})`, { details: { pipeline: plan.pipeline, modelId: plan.modelId } });
    }
    allocation.runner.state = 'borrowed';
    this.o.onChange();
    if (allocation.kind === 'evict') await this.#destroyContainerOf(allocation.evicted, `evicted for ${plan.pipeline} ${plan.modelId}`);
    try {
      const runner = await this.#start(allocation.runner, plan, false, signal);
      this.o.pool.setState(runner.pooled.key, 'borrowed');
      runner.lease++;
      return { runner, lease: runner.lease };
    } finally {
      this.o.onChange();
    }
  }

  /** Ends a lease: the runner goes back to the pool, or is restarted when the request broke it. */
  async release(lease: ManagedLease, outcome: 'ok' | 'restart', reason = ''): Promise<void> {
    const { runner } = lease;
    if (!this.live.has(runner.pooled.key)) return;
    if (runner.lease !== lease.lease) {
      // The watchdog already put it back (it said IDLE while lent). A request that hung or broke it
      // still restarts it, unless another request has it now.
      if (outcome === 'restart' && runner.pooled.state !== 'borrowed') await this.destroy(runner, reason);
      return;
    }
    runner.lease++;
    if (outcome === 'restart') return this.destroy(runner, reason);
    if (runner.pooled.state === 'borrowed') this.o.pool.setState(runner.pooled.key, 'idle');
    this.o.onChange();
  }

  /** Back to the pool without a lease ending (watchdog: IDLE while lent, or loading finished). */
  returnToPool(runner: LiveRunner): void {
    runner.lease++;
    this.o.pool.setState(runner.pooled.key, 'idle');
    this.o.onChange();
  }

  withhold(runner: LiveRunner): void {
    this.o.pool.setState(runner.pooled.key, 'loading');
    this.o.onChange();
  }

  /** Stops and removes a runner; a warm one is started again (go-livepeer re-warms after its watchdog gives up). */
  async destroy(runner: LiveRunner, reason: string): Promise<void> {
    if (!this.live.has(runner.pooled.key)) return;
    this.o.logger.warn({ container: runner.containerId, pipeline: runner.plan.pipeline, model: runner.plan.modelId }, `removing runner ${runner.pooled.slotId} (${runner.plan.pipeline} ${runner.plan.modelId}): ${reason}`);
    this.live.delete(runner.pooled.key);
    this.o.pool.setState(runner.pooled.key, 'stopping');
    this.o.onChange();
    try {
      await destroyRunner(this.o.containers, runner.containerId, this.o.config.timeouts.stopMs);
    } catch (error) {
      this.o.logger.error({ err: error, container: runner.containerId }, `removing runner container failed: ${(error as Error).message}`);
    }
    this.o.pool.remove(runner.pooled.key);
    this.o.onChange();
    if (runner.pooled.warm && !this.#stopping) await this.warm(runner.plan);
  }

  /** Registers a container found at start that matches the config (adoption). */
  adopt(pooled: PooledRunner, plan: ModelPlan, started: Omit<StartedRunner, 'loading' | 'hardware'>): LiveRunner {
    const live: LiveRunner = { pooled, plan, containerId: started.containerId, endpoint: started.endpoint, version: started.version.version, watch: { failures: 0 }, lease: 0 };
    this.live.set(pooled.key, live);
    return live;
  }

  /** Node stop: every managed container stopped (8 s grace) and removed. */
  async stop(): Promise<void> {
    this.#stopping = true;
    // Retries wake on the node's abort signal; an attempt in flight ends through it too, queued ones return at once.
    await Promise.all([...this.#retrying]);
    await Promise.all([...this.live.values()].map((r) => this.destroy(r, 'the node is stopping')));
  }

  async #start(pooled: PooledRunner, plan: ModelPlan, warm: boolean, signal?: AbortSignal, refreshImage = false): Promise<LiveRunner> {
    const { config, containers } = this.o;
    try {
      const image = await this.o.images.present(plan.pipeline, { refresh: refreshImage });
      if (!image) throw errors.ai.RUNNER_UNAVAILABLE.create(`no runner image for ${plan.pipeline}`);
      const slot = this.o.pool.slots.find((s) => s.id === pooled.slotId)!;
      const spec = runnerSpec({ pipeline: plan.pipeline, modelId: plan.modelId, slot, warm, image: image.ref, imageId: image.id, modelsDir: config.modelsDir, optimizationFlags: plan.optimizationFlags, verboseLogs: config.verboseLogs, nodeTag: this.o.nodeTag });
      const flags = warm && Object.keys(plan.optimizationFlags).length > 0;
      const stopSignal = signal ? AbortSignal.any([signal, this.o.signal]) : this.o.signal;
      this.o.logger.info({ slot: slot.id, device: slot.device ?? 'none', image: image.ref, pipeline: plan.pipeline, model: plan.modelId, warm }, `starting runner ${spec.name}`);
      const started = await startRunner(containers, spec, { timeouts: config.timeouts, startTimeoutMs: flags ? config.timeouts.optimizedStartMs : config.timeouts.startMs, signal: stopSignal, acceptLoading: warm });
      if (this.#stopping) {
        await destroyRunner(containers, started.containerId, config.timeouts.stopMs).catch(() => undefined);
        throw errors.ai.CANCELLED.create('the node is stopping');
      }
      const live = this.adopt(pooled, plan, started);
      // A warm runner still loading its model stays out of the pool until it says IDLE (go-livepeer).
      pooled.state = warm ? (started.loading ? 'loading' : 'idle') : pooled.state;
      this.o.logger.info({ container: started.containerId, endpoint: started.endpoint.baseUrl, version: started.version.version, loading: started.loading }, `runner ${spec.name} is up`);
      return live;
    } catch (error) {
      this.o.pool.remove(pooled.key);
      throw error;
    }
  }

  async #destroyContainerOf(evicted: PooledRunner, reason: string): Promise<void> {
    const live = this.live.get(evicted.key);
    if (!live) return;
    this.live.delete(evicted.key);
    this.o.logger.info({ container: live.containerId, pipeline: live.plan.pipeline, model: live.plan.modelId }, `removing idle runner on ${evicted.slotId}: ${reason}`);
    await destroyRunner(this.o.containers, live.containerId, this.o.config.timeouts.stopMs).catch((error: Error) => this.o.logger.error({ err: error }, `removing evicted runner failed: ${error.message}`));
  }
}
