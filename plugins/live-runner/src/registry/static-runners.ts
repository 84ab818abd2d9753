/**
 * Static runners (operator config, hosting plugins): atomic upserts keyed by
 * label that keep a runner's id and sessions, and go-livepeer's health
 * polling — every `healthIntervalMs`, a GET of `health_url` with a
 * `healthTimeoutMs` timeout, healthy only on the exact status. A runner
 * turning unhealthy loses its sessions; it comes back when a check passes.
 */
import { errors, type StaticLiveRunner } from '@lpx/sdk';
import { staticSpec, type StaticSpec } from './runner-spec.js';
import type { RunnerTable, StaticRunner } from './runner-table.js';
import { newSeed, randomId } from './secrets.js';

export interface StaticRunnersOptions {
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
  /** Whether the node takes payments: then every runner needs a price. */
  readonly paid: () => boolean;
  readonly onError: (error: unknown, context: string) => void;
}

export async function checkHealth(spec: StaticSpec, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(spec.healthUrl, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    return response.status === spec.healthyStatusCode;
  } catch {
    return false;
  }
}

export class StaticRunners {
  #timer: NodeJS.Timeout | undefined;
  #checking = false;

  constructor(
    private readonly table: RunnerTable,
    private readonly options: StaticRunnersOptions,
  ) {}

  #byLabel(label: string): StaticRunner | undefined {
    return this.table.all().find((r): r is StaticRunner => r.kind === 'static' && r.spec.label === label && !r.removed);
  }

  /** Validates every entry first (one bad entry registers none), then upserts and runs each one's first health check. */
  async register(entries: readonly StaticLiveRunner[]): Promise<StaticRunner[]> {
    const specs = entries.map((entry, index) => staticSpec(entry, index, this.options.paid()));
    const labels = new Set<string>();
    specs.forEach((spec, index) => {
      if (labels.has(spec.label)) throw errors.liveRunner.CONFIG_INVALID.create(`runners[${index}]: duplicate label "${spec.label}"`, { details: { index } });
      labels.add(spec.label);
    });
    for (const [index, spec] of specs.entries()) {
      const route = spec.routing === 'label' ? spec.label : undefined;
      const holder = route === undefined ? undefined : this.table.byRoute(route);
      if (holder !== undefined && !(holder.kind === 'static' && holder.spec.label === spec.label)) {
        throw errors.liveRunner.CONFIG_INVALID.create(`runners[${index}]: route "${route}" is taken by runner ${holder.runnerId}`, { details: { index } });
      }
    }
    const health = await Promise.all(specs.map((spec) => checkHealth(spec, this.options.healthTimeoutMs)));
    return specs.map((spec, index) => {
      const healthy = health[index]!;
      const existing = this.#byLabel(spec.label);
      if (existing !== undefined) {
        existing.spec = spec;
        existing.route = spec.routing === 'label' ? spec.label : existing.runnerId;
        this.#setHealth(existing, healthy);
        return existing;
      }
      const runnerId = `runner_${randomId(5)}`;
      const runner: StaticRunner = { kind: 'static', runnerId, route: spec.routing === 'label' ? spec.label : runnerId, seed: newSeed(), sessions: new Map(), removed: false, spec, healthy };
      this.table.add(runner);
      return runner;
    });
  }

  remove(label: string): boolean {
    const runner = this.#byLabel(label);
    if (runner === undefined) return false;
    this.table.remove(runner, 'removed');
    return true;
  }

  #setHealth(runner: StaticRunner, healthy: boolean): void {
    if (runner.healthy && !healthy) {
      for (const sessionId of [...runner.sessions.keys()]) this.table.release(runner, sessionId, 'runner unhealthy');
    }
    runner.healthy = healthy;
  }

  async checkAll(): Promise<void> {
    const runners = this.table.all().filter((r): r is StaticRunner => r.kind === 'static');
    const results = await Promise.all(runners.map((runner) => checkHealth(runner.spec, this.options.healthTimeoutMs)));
    runners.forEach((runner, index) => {
      if (!runner.removed) this.#setHealth(runner, results[index]!);
    });
  }

  start(): void {
    this.#timer = setInterval(() => {
      // One round at a time: a slow runner must not pile checks up.
      if (this.#checking) return;
      this.#checking = true;
      this.checkAll()
        .catch((error: unknown) => this.options.onError(error, 'static health checks'))
        .finally(() => (this.#checking = false));
    }, this.options.healthIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
