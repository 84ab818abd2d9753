import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import {
  errors,
  type ByocAppContribution,
  type CapabilitiesService,
  type ContainersService,
  type JobsService,
  type LoggerService,
  type OrchestratorWireService,
} from '@lpx/sdk';
import { appProcessor } from './app-processor.js';
import { capabilityDeclaration, LABELS, planApp, type AppPlan } from './app-plan.js';
import type { ByocHostConfig } from './config.js';
import { archivePath, ContainerApp } from './container-app.js';
import { mountExternalWorkers } from './external-workers.js';
import { HostedApps, type HostedEntry } from './hosted-apps.js';
import { inputCheck } from './input-check.js';

export interface ByocHostOptions {
  readonly config: ByocHostConfig;
  readonly contributions: readonly ByocAppContribution[];
  readonly containers: ContainersService;
  readonly capabilities: CapabilitiesService;
  readonly jobs: JobsService;
  readonly wire: OrchestratorWireService;
  readonly logger: LoggerService;
  readonly dataDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The hosting side of BYOC: plans every contributed app at init (a bad spec
 * or an override for an unknown app is refused there), runs them at start
 * (an app that cannot run fails the start with its coded error, after the
 * apps already started were stopped), and keeps `byoc.hosted` and the
 * kernel's capabilities in step.
 */
export class ByocHost {
  readonly hosted: HostedApps;
  readonly #o: ByocHostOptions;
  readonly #plans: AppPlan[];
  readonly #running: ContainerApp[] = [];
  readonly #bound = new Set<string>();
  readonly #nodeTag: string;

  constructor(options: ByocHostOptions) {
    this.#o = options;
    const { config, contributions } = options;
    const names = new Set(contributions.map((c) => c.spec.name));
    for (const name of Object.keys(config.apps)) {
      if (!names.has(name)) {
        throw errors.byoc.APP_INVALID.create(`plugins.byoc-host.config.apps.${name}: no plugin contributes a BYOC app named ${name} (contributed: ${[...names].join(', ') || 'none'})`, { details: { app: name } });
      }
    }
    this.#plans = contributions.map((contribution) => planApp(contribution, config.apps[contribution.spec.name]));
    for (const plan of this.#plans) this.#checkPackaged(plan);
    this.#nodeTag = createHash('sha256').update(options.dataDir).digest('hex').slice(0, 10);
    this.hosted = new HostedApps(options.capabilities, options.logger, (entry) => this.#bind(entry));
    if (config.external.enabled && options.wire.enabled) mountExternalWorkers(options.wire, this.hosted, { maxCapabilities: config.external.maxCapabilities, logger: options.logger });
  }

  async start(): Promise<void> {
    await this.#removeStale();
    try {
      for (const plan of this.#plans) {
        if (plan.spec.container !== undefined) await this.#startContainerApp(plan);
        else this.hosted.put(this.#entry(plan, plan.spec.external!.url, this.#token(plan)));
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    for (const app of this.#running.splice(0)) {
      this.hosted.remove(app.name, 'the node is stopping');
      await app.stop();
    }
  }

  /** A packaged archive must exist; an external app's token must be in the environment. */
  #checkPackaged(plan: AppPlan): void {
    const { container, external } = plan.spec;
    if (container?.archive !== undefined) {
      const path = archivePath(plan.contribution.packageDir, container.archive);
      if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
        throw errors.byoc.APP_INVALID.create(`BYOC app ${plan.spec.name}: image archive ${container.archive} is missing from the package (${path})`, { details: { app: plan.spec.name, archive: path } });
      }
    }
    if (external?.tokenEnv !== undefined && this.#token(plan) === undefined) {
      throw errors.byoc.APP_INVALID.create(`BYOC app ${plan.spec.name}: its token comes from env ${external.tokenEnv}, which is not set`, { details: { app: plan.spec.name } });
    }
  }

  #token(plan: AppPlan): string | undefined {
    const name = plan.spec.external?.tokenEnv;
    if (name === undefined) return undefined;
    const value = (this.#o.env ?? process.env)[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /** Containers of apps no plugin contributes any more (a partner plugin was removed) go. */
  async #removeStale(): Promise<void> {
    const wanted = new Set(this.#plans.filter((p) => p.spec.container !== undefined).map((p) => p.spec.name));
    // Without container apps a node may have no runtime at all: leftovers are then cleaned only when one answers.
    const found = await this.#o.containers.list().catch((error: unknown) => {
      if (wanted.size > 0) throw error;
      return [];
    });
    for (const container of found) {
      const app = container.labels[LABELS.app];
      if (app !== undefined && wanted.has(app)) continue;
      this.#o.logger.info({ container: container.name }, `removing ${container.name}: no BYOC app ${app ?? '?'} is contributed any more`);
      await this.#o.containers.remove(container.id, { force: true });
    }
  }

  async #startContainerApp(plan: AppPlan): Promise<void> {
    const app = new ContainerApp({
      containers: this.#o.containers,
      plan,
      config: this.#o.config,
      nodeTag: this.#nodeTag,
      logger: this.#o.logger,
      onHealthy: (healthy) => this.hosted.update(plan.spec.name, { ready: healthy > 0, capacity: healthy * plan.capacity }),
    });
    this.#running.push(app);
    await app.start();
    this.hosted.put({ ...this.#entry(plan, app.pick()!, undefined), pick: () => app.pick() });
    this.#o.logger.info({ app: plan.spec.name, instances: plan.instances }, `BYOC app ${plan.spec.name} is up (${plan.instances} instance(s))`);
  }

  #entry(plan: AppPlan, url: string, token: string | undefined): HostedEntry {
    const { spec } = plan;
    const capacity = plan.capacity * plan.instances;
    const declaration = capabilityDeclaration(spec, plan.price, capacity);
    const validate = inputCheck(spec.name, spec.inputSchema, plan.contribution.hooks);
    const healthPath = spec.health?.path ?? '/health';
    return {
      name: spec.name,
      capabilityId: `byoc/${spec.name}`,
      pluginId: plan.contribution.pluginId,
      version: plan.contribution.pluginVersion,
      spec,
      price: plan.price,
      capacity,
      url,
      healthUrl: `${url.replace(/\/+$/, '')}${healthPath}`,
      healthyStatus: spec.health?.status ?? 200,
      ready: true,
      gpus: plan.gpus.flat(),
      ...(declaration !== undefined ? { declaration } : {}),
      ...(token !== undefined ? { token } : {}),
      external: false,
      ...(validate !== undefined ? { validate } : {}),
    };
  }

  #bind(entry: HostedEntry): void {
    if (this.#bound.has(entry.name)) return;
    this.#bound.add(entry.name);
    this.#o.jobs.registerProcessor(entry.capabilityId, appProcessor(entry.name, this.hosted), { concurrency: Math.max(1, entry.capacity) });
  }
}
