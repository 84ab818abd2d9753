import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  containerDeathReason,
  createContainerFresh,
  errors,
  publishedUrl,
  removeContainerByName,
  type ContainerInfo,
  type ContainerSpec,
  type ContainersService,
  type LoggerService,
} from '@lpx/sdk';
import { checkHealth } from './app-health.js';
import { instanceHash, LABELS, type AppPlan } from './app-plan.js';
import type { ByocHostConfig } from './config.js';

interface Instance {
  readonly index: number;
  containerId: string;
  url: string;
  healthy: boolean;
  failures: number;
  restarting: boolean;
}

export interface ContainerAppOptions {
  readonly containers: ContainersService;
  readonly plan: AppPlan;
  readonly config: ByocHostConfig;
  /** Short, stable per node: container names stay unique when nodes share an engine. */
  readonly nodeTag: string;
  readonly logger: LoggerService;
  /** Healthy instances changed (the watchdog took one out or brought it back). */
  readonly onHealthy: (healthy: number) => void;
}

/** The path of a packaged image archive, which must stay inside the package. */
export function archivePath(packageDir: string, archive: string): string {
  const root = resolve(packageDir);
  const path = resolve(root, archive);
  if (path !== root && !path.startsWith(`${root}/`)) throw errors.byoc.APP_INVALID.create(`archive ${archive} is outside the plugin package ${root}`);
  return path;
}

/**
 * An app's containers: the image made present and checked against the
 * digest the manifest pins, `instances` containers (port published on
 * 127.0.0.1, env, memory, GPUs, labels, restart on failure), each healthy
 * before the app counts as started; containers a previous run left are
 * adopted when they match exactly, else removed. A watchdog restarts an
 * instance that fails its health check `watchFailures` times in a row.
 */
export class ContainerApp {
  readonly #o: ContainerAppOptions;
  readonly #instances: Instance[] = [];
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  #next = 0;
  #closed = false;

  constructor(options: ContainerAppOptions) {
    this.#o = options;
  }

  get name(): string {
    return this.#o.plan.spec.name;
  }

  get healthy(): number {
    return this.#instances.filter((i) => i.healthy).length;
  }

  /** A healthy instance's URL, round robin; undefined when none is healthy. */
  pick(): string | undefined {
    const healthy = this.#instances.filter((i) => i.healthy);
    if (healthy.length === 0) return undefined;
    return healthy[this.#next++ % healthy.length]!.url;
  }

  /** Refuses with IMAGE_DIGEST_MISMATCH (nothing created) or APP_UNHEALTHY (its containers removed). */
  async start(): Promise<void> {
    const { plan, containers } = this.#o;
    await this.#ensureImage();
    const found = await containers.list({ [LABELS.app]: plan.spec.name });
    for (const container of found) {
      const why = await this.#adopt(container);
      if (why === undefined) continue;
      this.#o.logger.info({ app: this.name, container: container.name }, `removing ${container.name} left by a previous run: ${why}`);
      await containers.remove(container.id, { force: true });
    }
    try {
      for (let index = 0; index < plan.instances; index++) {
        if (this.#instances.some((i) => i.index === index)) continue;
        this.#instances.push(await this.#create(index));
      }
      await Promise.all(this.#instances.map((instance) => this.#waitHealthy(instance)));
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.#instances.sort((a, b) => a.index - b.index);
    this.#timer = setInterval(() => void this.#tick(), this.#o.config.watchIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    const { containers, config } = this.#o;
    await Promise.all(
      this.#instances.splice(0).map(async (instance) => {
        await containers.stop(instance.containerId, { timeoutMs: config.stopMs }).catch(() => undefined);
        await containers.remove(instance.containerId, { force: true }).catch(() => undefined);
      }),
    );
  }

  async #ensureImage(): Promise<void> {
    const { containers, plan } = this.#o;
    const container = plan.spec.container!;
    let image = await containers.inspectImage(container.image);
    if (image === undefined) {
      const source = container.archive === undefined ? ({ kind: 'present' } as const) : ({ kind: 'load', tarPath: archivePath(plan.contribution.packageDir, container.archive) } as const);
      image = await containers.ensureImage({ ref: container.image, source });
    }
    if (image.id !== container.digest) {
      throw errors.byoc.IMAGE_DIGEST_MISMATCH.create(`app ${this.name}: image ${container.image} is ${image.id}, but the manifest pins ${container.digest}; nothing was started`, {
        details: { app: this.name, image: container.image, found: image.id, expected: container.digest },
      });
    }
  }

  #spec(index: number): ContainerSpec {
    const { plan, nodeTag } = this.#o;
    const container = plan.spec.container!;
    const gpus = plan.gpus[index] ?? [];
    return {
      name: `lpx-byoc-${nodeTag}-${plan.spec.name}-${index}`,
      image: container.image,
      env: plan.env,
      ...(container.command !== undefined ? { command: container.command } : {}),
      ports: [{ containerPort: container.port, hostIp: '127.0.0.1' }],
      ...(gpus.length > 0 ? { gpus } : {}),
      ...(plan.memoryBytes !== undefined ? { memoryBytes: plan.memoryBytes } : {}),
      ...(plan.spec.resources?.cpus !== undefined ? { cpus: plan.spec.resources.cpus } : {}),
      labels: {
        [LABELS.app]: plan.spec.name,
        [LABELS.instance]: String(index),
        [LABELS.plugin]: plan.contribution.pluginId,
        [LABELS.version]: plan.contribution.pluginVersion,
        [LABELS.spec]: instanceHash(plan, index),
      },
      restart: { policy: 'on-failure', maxRetries: 3 },
    };
  }

  /** undefined when adopted, else why not. */
  async #adopt(container: ContainerInfo): Promise<string | undefined> {
    const index = Number(container.labels[LABELS.instance]);
    if (container.state !== 'running') return `it is ${container.state}`;
    if (!Number.isInteger(index) || index < 0 || index >= this.#o.plan.instances) return 'its instance is not in the config';
    const expected = this.#spec(index);
    if (expected.name !== container.name || expected.labels?.[LABELS.spec] !== container.labels[LABELS.spec]) return 'its spec differs from what the config makes now';
    if (this.#instances.some((i) => i.index === index)) return `instance ${index} is taken`;
    const url = publishedUrl(container, this.#o.plan.spec.container!.port);
    if (url === undefined) return 'it publishes no port';
    const health = await this.#check(url);
    if (!health.ok) return health.reason;
    this.#instances.push({ index, containerId: container.id, url, healthy: true, failures: 0, restarting: false });
    this.#o.logger.info({ app: this.name, container: container.name }, `adopted ${container.name} left by a previous run`);
    return undefined;
  }

  async #create(index: number): Promise<Instance> {
    const { containers } = this.#o;
    const spec = this.#spec(index);
    let created: ContainerInfo | undefined;
    try {
      created = await createContainerFresh(containers, spec);
      const info = await containers.start(created.id);
      const url = publishedUrl(info, this.#o.plan.spec.container!.port) ?? publishedUrl((await containers.inspect(created.id)) ?? info, this.#o.plan.spec.container!.port);
      if (url === undefined) throw errors.byoc.APP_UNHEALTHY.create(`app ${this.name}: the engine published no host port for ${this.#o.plan.spec.container!.port}/tcp`, { details: { app: this.name } });
      return { index, containerId: created.id, url, healthy: false, failures: 0, restarting: false };
    } catch (error) {
      if (created) await containers.remove(created.id, { force: true }).catch(() => undefined);
      else await removeContainerByName(containers, spec.name).catch(() => undefined);
      throw error;
    }
  }

  #check(url: string) {
    const health = this.#o.plan.spec.health;
    return checkHealth(url, health?.path ?? '/health', health?.status ?? 200, this.#o.config.healthMs);
  }

  /** Polls until healthy; APP_UNHEALTHY with the last log lines when the container dies or the time runs out. */
  async #waitHealthy(instance: Instance): Promise<void> {
    const { config, containers, plan } = this.#o;
    const timeoutMs = plan.spec.health?.startTimeoutMs ?? config.startTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      const health = await this.#check(instance.url);
      if (health.ok) {
        instance.healthy = true;
        instance.failures = 0;
        return;
      }
      last = health.reason;
      const dead = await containerDeathReason(containers, instance.containerId);
      if (dead !== undefined || Date.now() + config.pollMs > deadline || this.#closed) {
        const logs = dead === undefined ? (await containers.logs(instance.containerId, { tail: 20 }).catch(() => '')).trim() : '';
        const why = dead ?? `not healthy within ${timeoutMs} ms (last: ${last})${logs !== '' ? `; last log lines:\n${logs}` : ''}`;
        throw errors.byoc.APP_UNHEALTHY.create(`app ${this.name} instance ${instance.index}: ${why}`, { details: { app: this.name, instance: instance.index, reason: why } });
      }
      await sleep(config.pollMs);
    }
  }

  async #tick(): Promise<void> {
    if (this.#ticking || this.#closed) return;
    this.#ticking = true;
    try {
      const before = this.healthy;
      for (const instance of this.#instances) {
        if (instance.restarting) continue;
        const health = await this.#check(instance.url);
        if (health.ok) {
          instance.failures = 0;
          instance.healthy = true;
          continue;
        }
        instance.failures += 1;
        if (instance.failures < this.#o.config.watchFailures) continue;
        instance.healthy = false;
        this.#o.logger.warn({ app: this.name, instance: instance.index }, `app ${this.name} instance ${instance.index} failed ${instance.failures} health checks (${health.reason}): restarting it`);
        void this.#restart(instance);
      }
      if (this.healthy !== before) this.#o.onHealthy(this.healthy);
    } finally {
      this.#ticking = false;
    }
  }

  async #restart(instance: Instance): Promise<void> {
    const { containers, config } = this.#o;
    instance.restarting = true;
    try {
      await containers.stop(instance.containerId, { timeoutMs: config.stopMs }).catch(() => undefined);
      const info = await containers.start(instance.containerId);
      // The engine may pick another host port on restart.
      instance.url = publishedUrl((await containers.inspect(instance.containerId)) ?? info, this.#o.plan.spec.container!.port) ?? instance.url;
      await this.#waitHealthy(instance);
      if (!this.#closed) this.#o.onHealthy(this.healthy);
    } catch (error) {
      this.#o.logger.error({ err: error, app: this.name, instance: instance.index }, `app ${this.name} instance ${instance.index} did not come back: ${(error as Error).message}`);
    } finally {
      instance.failures = 0;
      instance.restarting = false;
    }
  }
}
