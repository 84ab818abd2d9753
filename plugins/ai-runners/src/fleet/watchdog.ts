import type { ContainersService, LoggerService } from '@lpx/sdk';
import type { RunnerTimeouts } from '../config/plugin-config.js';
import { endpointOf } from '../containers/start-runner.js';
import { checkHealth } from '../runner/runner-client.js';
import { watchStep } from '../runner/watchdog-policy.js';
import type { LiveRunner, ManagedRunners } from './managed-runners.js';

/** go-livepeer: two failed checks in a row end a runner. */
export const MAX_HEALTH_FAILURES = 2;

/**
 * Every watch interval, asks each managed runner's /health and applies the
 * watchdog rules (watchStep). After a failed check it reads the container
 * again: the engine restarts a crashed runner (on-failure, 3 times) and may
 * publish it on another host port.
 */
export class Watchdog {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly runners: ManagedRunners,
    private readonly containers: ContainersService,
    private readonly timeouts: RunnerTimeouts,
    private readonly logger: LoggerService,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      if (!this.#running) this.#running = this.tick().finally(() => (this.#running = undefined));
    }, this.timeouts.watchIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One round over every runner (exported for tests that do not want to wait for the interval). */
  async tick(): Promise<void> {
    await Promise.all([...this.runners.live.values()].map((runner) => this.#check(runner)));
  }

  async #check(runner: LiveRunner): Promise<void> {
    const state = runner.pooled.state;
    if (state === 'starting' || state === 'stopping') return;
    const health = await checkHealth(runner.endpoint, this.timeouts.healthMs);
    if (!health.ok) await this.#refreshEndpoint(runner);
    if (!this.runners.live.has(runner.pooled.key)) return;
    const decision = watchStep(runner.watch, health, Date.now(), runner.pooled.state === 'borrowed', runner.pooled.state === 'loading', { maxFailures: MAX_HEALTH_FAILURES, loadingMaxMs: this.timeouts.loadingMaxMs });
    runner.watch = decision.state;
    if (!health.ok) this.logger.warn({ container: runner.containerId, failures: decision.state.failures }, `runner health check failed: ${health.reason}`);
    switch (decision.action) {
      case 'destroy':
        await this.runners.destroy(runner, decision.reason ?? 'unhealthy');
        break;
      case 'withhold':
        this.logger.info({ container: runner.containerId }, 'runner is loading: out of the pool until it is IDLE');
        this.runners.withhold(runner);
        break;
      case 'return':
        this.runners.returnToPool(runner);
        break;
      case 'none':
        break;
    }
  }

  async #refreshEndpoint(runner: LiveRunner): Promise<void> {
    const info = await this.containers.inspect(runner.containerId).catch(() => undefined);
    const endpoint = info && info.state === 'running' ? endpointOf(info) : undefined;
    if (endpoint && endpoint.baseUrl !== runner.endpoint.baseUrl) {
      this.logger.info({ container: runner.containerId, from: runner.endpoint.baseUrl, to: endpoint.baseUrl }, 'runner restarted by the engine on another host port');
      runner.endpoint = endpoint;
    }
  }
}
