import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { coreServices, errors, type CapabilitiesService, type JobsService, type PluginDefinition } from '@lpx/sdk';
import type { LoadedConfig } from '../config/load-config.js';
import { ContainerScopes } from '../container/scopes.js';
import { GrpcEdge } from '../grpc/grpc-edge.js';
import { createRootServer } from '../http/root-server.js';
import { createRootLogger } from '../observability/logger.js';
import { nodeEventsOf, type NodeEvents } from '../observability/node-events.js';
import { registerStatusRoute } from '../observability/status/status-route.js';
import { hostStatusSources } from '../observability/status/host-status-sources.js';
import { registerDashboardRoutes } from '../observability/dashboard/dashboard-routes.js';
import { TeardownStack } from './teardown-stack.js';
import { bootKernelServices, type KernelServices } from './kernel-services.js';
import { preparePlugins } from './prepare-plugins.js';
import { checkStartable } from './config-refusals.js';
import { initPlugins } from './init-plugins.js';
import { runStartHooks } from './start-hooks.js';
import { prepareRoles, type RolesRuntime } from './roles-runtime.js';
import { LateGatewayService } from '../roles/gateway/late-gateway-service.js';
import { RevocationWatch } from '../plugins/revocation-watch.js';
import { trustPolicyOf, type RegistryRelease } from '../plugins/load-plugins.js';

export interface HostOptions {
  config: LoadedConfig;
  /** Plugins given as values (tests, examples) in addition to those named in the config. */
  plugins?: readonly PluginDefinition[];
  /** Where logs go (default stderr). */
  logDestination?: NodeJS.WritableStream;
}

export type HostState = 'created' | 'starting' | 'ready' | 'stopping' | 'stopped' | 'failed';

/**
 * A running lpx node: the composition root. `start` boots in a fixed order
 * (plugins validated → registered → graph → kernel services → inits → edges →
 * workers → start hooks) and unwinds everything it started if any step fails.
 */
export class Host {
  readonly logger: Logger;
  readonly metrics = new Registry();
  readonly #options: HostOptions;
  readonly #teardown: TeardownStack;
  readonly #shutdown = new AbortController();
  #state: HostState = 'created';
  #app: FastifyInstance | undefined;
  #kernel: KernelServices | undefined;
  #address: string | undefined;
  #grpc = new GrpcEdge();
  #stopping: Promise<void> | undefined;
  #roles: RolesRuntime | undefined;
  #revocations: RevocationWatch | undefined;

  constructor(options: HostOptions) {
    this.#options = options;
    const { config } = options.config;
    this.logger = createRootLogger({ level: config.log.level, name: config.node.name, ...(options.logDestination ? { destination: options.logDestination } : {}) });
    this.#teardown = new TeardownStack(this.logger);
    collectDefaultMetrics({ register: this.metrics, prefix: 'lpx_' });
  }

  /** This node's job and payment events (what GET /events streams; ADR 0056). */
  get events(): NodeEvents {
    return nodeEventsOf(this.metrics);
  }

  get state(): HostState {
    return this.#state;
  }

  /** http://host:port once listening. */
  get url(): string | undefined {
    return this.#address;
  }

  /** The Redis this node uses (its embedded one unless redis.url is set). */
  get redisUrl(): string {
    return this.#require(this.#kernel).redisUrl;
  }

  get grpcPort(): number | undefined {
    return this.#grpc.port;
  }

  get jobs(): JobsService {
    return this.#require(this.#kernel).jobs.service;
  }

  get capabilities(): CapabilitiesService {
    return this.#require(this.#kernel).capabilities;
  }

  /** The kernel's transcoding: backends added through `transcode.backends`, their statuses (`lpx transcode probe`). */
  get transcode(): KernelServices['transcode'] {
    return this.#require(this.#kernel).transcode;
  }

  /** The kernel's AI: pipelines, executors, the models the orchestrator advertises (`lpx ai models`). */
  get ai(): KernelServices['ai'] {
    return this.#require(this.#kernel).ai;
  }

  /** The kernel's containers: the runtime plugins use, its status, this node's owner id (`lpx containers list`). */
  get containers(): KernelServices['containers'] {
    return this.#require(this.#kernel).containers;
  }

  /** The orchestrator role's service URI (https://host:port), when this node has that role. */
  get serviceUri(): string | undefined {
    return this.#roles?.orchestrator?.serviceUri;
  }

  /** The orchestrator's TLS front door (HTTP routes), when this node has that role. */
  get frontDoor(): FastifyInstance | undefined {
    return this.#roles?.orchestrator?.frontDoor;
  }

  /** The node's Ethereum address, when it has a network role. */
  get address(): string | undefined {
    return this.#roles?.address;
  }

  /** Re-checks registry plugins for revocation (every registry.refreshMs; `check()` runs a pass now); `revoked()` lists what was withdrawn. */
  get revocations(): RevocationWatch {
    return this.#require(this.#revocations);
  }

  get http(): FastifyInstance {
    return this.#require(this.#app);
  }

  async start(): Promise<void> {
    if (this.#state !== 'created') throw errors.plugin.START_FAILED.create(`host cannot start from state ${this.#state}`);
    this.#state = 'starting';
    const { config } = this.#options.config;
    try {
      const prepared = await preparePlugins(this.#options.config, this.#options.plugins ?? [], (message) => this.logger.warn(message));
      // The config refusals `lpx config check` also makes, before anything starts (ADR 0059); the roles warn themselves.
      await checkStartable(this.#options.config, prepared);
      const kernel = await bootKernelServices(this.#options.config, prepared, this.logger, this.metrics, this.#teardown);
      this.#kernel = kernel;
      const scopes = new ContainerScopes();
      scopes.registerRoot(coreServices.payments, kernel.payments);
      scopes.registerRoot(coreServices.discovery, kernel.discovery);
      // Plugins resolve coreServices.gateway before the role exists; it forwards once the role is prepared (ADR 0026).
      const gatewayService = new LateGatewayService(config.node.roles.includes('gateway'));
      scopes.registerRoot(coreServices.gateway, gatewayService);
      this.#teardown.push('containers', () => scopes.dispose());
      const pluginScopes = await initPlugins({
        prepared,
        kernel,
        scopes,
        gateway: gatewayService,
        grpc: this.#grpc,
        config: this.#options.config,
        logger: this.logger,
        metrics: this.metrics,
        shutdown: this.#shutdown,
        teardown: this.#teardown,
      });

      // Picks the container runtime (an unknown containers.runtime fails the boot here) and probes it in the background.
      kernel.containers.start();
      const app = await createRootServer({ logger: this.logger, metrics: this.metrics, bodyLimitBytes: config.http.bodyLimitBytes, readiness: () => this.#readiness(), blobs: kernel.blobs.store });
      this.#app = app;
      for (const scope of pluginScopes.values()) scope.http.mount(app);
      kernel.transcode.registerRoutes(app);
      kernel.containers.registerRoutes(app);
      kernel.ai.registerRoutes(app);
      const roles = await prepareRoles({ config, kernel, app, logger: this.logger, metrics: this.metrics, teardown: this.#teardown });
      this.#roles = roles;
      if (roles.gateway !== undefined) gatewayService.bind(roles.gateway.segments);
      registerStatusRoute(app, hostStatusSources({ config, prepared, kernel, roles, metrics: this.metrics, hasRoute: (url) => app.hasRoute({ method: 'GET', url }), state: () => this.#state, readiness: () => this.#readiness() }));
      registerDashboardRoutes(app);
      this.#teardown.push('http', () => app.close());
      await app.ready();
      if (config.http.enabled) {
        try {
          this.#address = await app.listen({ host: config.http.host, port: config.http.port });
          // Blob refs name this address unless blobs.publicUrl says how other machines reach the node.
          kernel.blobs.store.setPublicUrl(this.#address);
        } catch (cause) {
          throw errors.http.LISTEN.create(`HTTP edge cannot listen on ${config.http.host}:${config.http.port}: ${(cause as Error).message}`, { cause });
        }
      }
      await this.#grpc.start(config.grpc.host, config.grpc.port);
      this.#teardown.push('grpc', () => this.#grpc.stop(config.lifecycle.stopTimeoutMs));
      if (config.node.roles.includes('worker')) {
        // Probes the transcode backends and binds the video/transcode processor before workers start.
        await kernel.transcode.startWorker();
        // Binds the ai/<pipeline> processors to what the AI executors offer, and heartbeats the offers.
        await kernel.ai.startWorker();
        await kernel.jobs.startWorkers();
        // Workers must drain before plugins stop; the later 'jobs' step then finds it already closed.
        this.#teardown.push('job workers', () => kernel.jobs.close());
      }
      await roles.start();
      await runStartHooks(prepared.graph.order, pluginScopes, config.lifecycle.initTimeoutMs);
      const releases = new Map<string, RegistryRelease>([...prepared.byId].flatMap(([id, plugin]) => (plugin.release ? [[id, plugin.release] as const] : [])));
      const revocations = new RevocationWatch({ releases, policy: trustPolicyOf(config), capabilities: kernel.capabilities, logger: this.logger, refreshMs: config.registry.refreshMs });
      this.#revocations = revocations;
      revocations.start();
      this.#teardown.push('revocation watch', () => revocations.stop());
      this.#state = 'ready';
      this.logger.info({ url: this.#address, grpcPort: this.#grpc.port, serviceUri: this.serviceUri, plugins: prepared.graph.order, roles: config.node.roles }, 'lpx node ready');
    } catch (error) {
      this.#state = 'failed';
      this.logger.error({ err: error }, 'boot failed; stopping what was started');
      this.#shutdown.abort();
      await this.#teardown.unwind();
      throw error;
    }
  }

  /** Idempotent; drains jobs first, then stops plugins in reverse order, then edges and Redis. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (this.#state === 'created' || this.#state === 'failed') {
        this.#state = 'stopped';
        return;
      }
      this.#state = 'stopping';
      this.#shutdown.abort();
      await this.#teardown.unwind();
      this.#state = 'stopped';
      this.logger.info('lpx node stopped');
      this.logger.flush?.();
    })();
    return this.#stopping;
  }

  async #readiness(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = { boot: this.#state };
    const redisOk = this.#kernel ? await this.#kernel.jobs.ping().then(() => true, () => false) : false;
    checks.redis = redisOk ? 'ok' : 'unreachable';
    // A revoked plugin does not make the node unready (its other plugins still serve), but operators see it here.
    for (const revoked of this.#revocations?.revoked() ?? []) checks[`plugin:${revoked.id}`] = `revoked (${revoked.version})`;
    return { ready: this.#state === 'ready' && redisOk, checks };
  }

  #require<T>(value: T | undefined): T {
    if (value === undefined) throw errors.plugin.START_FAILED.create('the host has not been started');
    return value;
  }
}
