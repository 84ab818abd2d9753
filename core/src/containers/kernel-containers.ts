/**
 * The kernel's containers: owner of `containers.runtimes`, picks the runtime
 * a node uses (`containers.runtime`, else the only one added), probes it in
 * the background at start, hands each plugin a scoped facade
 * (coreServices.containers) and closes the runtime after plugins stopped.
 * See docs/adr/0028-container-runtime.md.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { errors, type ContainerRuntime, type ContainerRuntimeStatus, type ContainersService } from '@lpx/sdk';
import { containerOwnerId } from './owner-id.js';
import { pluginContainers } from './plugin-containers.js';
import { ContainerRuntimeRegistry } from './runtime-registry.js';
import { RuntimeMonitor } from './runtime-monitor.js';
import { containersRuntimeRouteSchema } from '../http/openapi/kernel-route-schemas.js';

export interface KernelContainersOptions {
  readonly dataDir: string;
  readonly settings: { readonly runtime?: string; readonly probeTimeoutMs: number; readonly reprobeIntervalMs: number };
  readonly logger: Logger;
}

export type RuntimeStatusView = ContainerRuntimeStatus & { readonly runtime?: string };

const NO_RUNTIME = 'no container runtime: no configured plugin adds one (configure @lpx/plugin-runtime-docker)';

export class KernelContainers {
  readonly runtimes = new ContainerRuntimeRegistry();
  readonly ownerId: string;
  readonly #options: KernelContainersOptions;
  readonly #logger: Logger;
  #runtime: ContainerRuntime | undefined;
  #monitor: RuntimeMonitor | undefined;
  readonly #started = deferred();
  #isStarted = false;
  #closed = false;

  constructor(options: KernelContainersOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'containers' });
    this.ownerId = containerOwnerId(options.dataDir);
    this.#started.promise.catch(() => undefined);
  }

  /** The runtime in use (after start), if any. */
  get runtime(): ContainerRuntime | undefined {
    return this.#runtime;
  }

  /**
   * After the extension points locked: picks the runtime (an unknown
   * `containers.runtime` fails the boot) and starts its first probe without
   * waiting for it — calls made meanwhile wait.
   */
  start(): void {
    if (this.#isStarted) return;
    this.#isStarted = true;
    this.#runtime = this.runtimes.pick(this.#options.settings.runtime);
    if (this.#runtime !== undefined) {
      const { probeTimeoutMs, reprobeIntervalMs } = this.#options.settings;
      this.#monitor = new RuntimeMonitor({ runtime: this.#runtime, probeTimeoutMs, reprobeIntervalMs, logger: this.#logger });
      void this.#monitor.start();
    }
    this.#started.resolve();
  }

  /** The status as of now, without waiting (HTTP, CLI); `probing` until the first probe finished. */
  currentStatus(): RuntimeStatusView & { readonly probing: boolean } {
    if (this.#runtime === undefined) return { available: false, reason: this.#isStarted ? NO_RUNTIME : 'the node has not started', probing: false };
    const status = this.#monitor?.status;
    return status === undefined ? { runtime: this.#runtime.name, available: false, reason: 'probing', probing: true } : { runtime: this.#runtime.name, ...status, probing: false };
  }

  /** The status once the first probe finished. */
  async status(): Promise<RuntimeStatusView> {
    await this.#started.promise;
    if (this.#runtime === undefined || this.#monitor === undefined) return { available: false, reason: NO_RUNTIME };
    return { runtime: this.#runtime.name, ...(await this.#monitor.ready()) };
  }

  /** The runtime once usable; UNAVAILABLE with the reason otherwise. */
  async ready(): Promise<ContainerRuntime> {
    await this.#started.promise;
    if (this.#closed) throw errors.containers.UNAVAILABLE.create('the node is stopping');
    const status = await this.status();
    if (!status.available || this.#runtime === undefined) {
      throw errors.containers.UNAVAILABLE.create(`container runtime${status.runtime ? ` ${status.runtime}` : ''} unavailable: ${status.reason ?? 'no reason given'}`, { details: { ...(status.runtime ? { runtime: status.runtime } : {}), reason: status.reason } });
    }
    return this.#runtime;
  }

  forPlugin(pluginId: string): ContainersService {
    return pluginContainers({ pluginId, ownerId: this.ownerId, ready: () => this.ready(), status: () => this.status() });
  }

  /** GET /v1/containers/runtime: which runtime, its status as last probed, this node's owner id. */
  registerRoutes(app: FastifyInstance): void {
    app.get('/v1/containers/runtime', { schema: containersRuntimeRouteSchema }, async () => ({ ownerId: this.ownerId, added: this.runtimes.names, ...this.currentStatus() }));
  }

  /** After plugins stopped (they stop their containers first): stop probing, close the runtime. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#started.reject(errors.containers.UNAVAILABLE.create('the node stopped before its container runtime started'));
    this.#monitor?.close();
    if (this.#runtime === undefined) return;
    try {
      await this.#runtime.close();
    } catch (error) {
      this.#logger.warn({ err: error, runtime: this.#runtime.name }, 'closing the container runtime failed');
    }
  }
}

/** Settled by start() or close(); calls made before the node started wait on it. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
