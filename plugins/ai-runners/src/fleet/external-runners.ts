import type { AIRunnerEndpoint, LoggerService } from '@lpx/sdk';
import type { RunnerTimeouts } from '../config/plugin-config.js';
import type { ModelPlan } from '../config/model-plan.js';
import { checkHealth, readVersion } from '../runner/runner-client.js';
import { waitUntilReady } from '../runner/wait-ready.js';

/** A runner at a URL from aiModels: never lent exclusively (it runs its own concurrency), up to its capacity. */
export interface ExternalRunner {
  readonly plan: ModelPlan;
  readonly endpoint: AIRunnerEndpoint;
  readonly capacity: number;
  inFlight: number;
  healthy: boolean;
  version?: string;
}

/**
 * External runners: go-livepeer waits up to 2 min for each one's /health at
 * start and then assumes it is there. lpx also keeps checking it on the
 * watch interval, so a runner that went away stops being offered (capacity
 * 0) instead of failing every request, and comes back when it answers.
 */
export class ExternalRunners {
  readonly runners: ExternalRunner[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    plans: readonly ModelPlan[],
    private readonly timeouts: RunnerTimeouts,
    private readonly logger: LoggerService,
    private readonly onChange: () => void,
  ) {
    for (const plan of plans) {
      for (const e of plan.externals) {
        this.runners.push({ plan, endpoint: { baseUrl: e.url, ...(e.token !== undefined ? { token: e.token } : {}) }, capacity: e.capacity, inFlight: 0, healthy: false });
      }
    }
  }

  /** First contact with each runner (up to externalStartMs), then the periodic check. */
  async start(signal: AbortSignal): Promise<void> {
    await Promise.all(
      this.runners.map(async (runner) => {
        const ready = await waitUntilReady(runner.endpoint, { timeoutMs: this.timeouts.externalStartMs, pollMs: this.timeouts.pollMs, healthMs: this.timeouts.healthMs, signal });
        if (ready.ready) await this.#markHealthy(runner);
        else this.logger.error({ url: runner.endpoint.baseUrl, pipeline: runner.plan.pipeline, model: runner.plan.modelId }, `external runner ${runner.endpoint.baseUrl} is not answering: ${ready.reason}; offered again once /health answers`);
      }),
    );
    this.onChange();
    this.#timer = setInterval(() => void this.checkAll(), this.timeouts.watchIntervalMs);
    this.#timer.unref();
  }

  async checkAll(): Promise<void> {
    let changed = false;
    await Promise.all(
      this.runners.map(async (runner) => {
        const health = await checkHealth(runner.endpoint, this.timeouts.healthMs);
        const healthy = health.ok && health.status !== 'ERROR';
        if (healthy === runner.healthy) return;
        changed = true;
        if (healthy) await this.#markHealthy(runner);
        else {
          runner.healthy = false;
          this.logger.warn({ url: runner.endpoint.baseUrl }, `external runner ${runner.endpoint.baseUrl} stopped answering: ${health.ok ? 'it reports ERROR' : health.reason}`);
        }
      }),
    );
    if (changed) this.onChange();
  }

  /** The least loaded healthy runner of the model with room, counted as busy until released. */
  acquire(planKey: string): ExternalRunner | undefined {
    const candidates = this.runners.filter((r) => r.plan.key === planKey && r.healthy && r.inFlight < r.capacity);
    const best = candidates.sort((a, b) => a.inFlight / a.capacity - b.inFlight / b.capacity)[0];
    if (best) best.inFlight++;
    return best;
  }

  release(runner: ExternalRunner): void {
    runner.inFlight = Math.max(0, runner.inFlight - 1);
  }

  /** After a failed request: checked at once rather than on the next interval. */
  async recheck(runner: ExternalRunner): Promise<void> {
    const health = await checkHealth(runner.endpoint, this.timeouts.healthMs);
    if (!health.ok || health.status === 'ERROR') {
      runner.healthy = false;
      this.onChange();
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #markHealthy(runner: ExternalRunner): Promise<void> {
    runner.healthy = true;
    runner.version = (await readVersion(runner.endpoint, this.timeouts.healthMs)).version;
    this.logger.info({ url: runner.endpoint.baseUrl, version: runner.version }, `external runner ${runner.endpoint.baseUrl} serves ${runner.plan.pipeline} ${runner.plan.modelId}`);
  }
}
