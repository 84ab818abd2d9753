/**
 * The gateway role: client jobs in over HTTP, durable route jobs on BullMQ
 * (per capability, under the node's Redis prefix + `:route`), router workers
 * that pick an orchestrator from the pool, pay it and send the work, failing
 * over to another when it refuses, hangs or dies.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { gatewayMetrics } from '../role-metrics.js';
import { gatewayRequestMetrics, orchestratorMetrics, orchestratorPoolMetrics } from '../../observability/gateway-metrics.js';
import { gatewayFundsMetrics } from '../../observability/funds-metrics.js';
import { queueDepthMetrics } from '../../observability/queue-metrics.js';
import { fromHex } from '../../payments/index.js';
import type { LocalAccount } from 'viem';
import { type GatewayService, type LoggerService, type SelectionAlgorithm } from '@lpx/sdk';
import { TRANSCODE_CAPABILITY_ID } from '../../capabilities/index.js';
import type { KernelServices } from '../../boot/kernel-services.js';
import type { TeardownStack } from '../../boot/teardown-stack.js';
import type { KernelConfig } from '../../config/kernel-schema.js';
import { OrchestratorPool } from '../../gateway/pool/orchestrator-pool.js';
import type { PoolEntry } from '../../gateway/pool/pool-options.js';
import { JobsKernel } from '../../jobs/index.js';
import { gatewayCredentials } from '../../network/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';
import { connectRedis } from '../../redis/connect.js';
import { registerGatewayApi } from './gateway-api.js';
import { ClientCancels } from './client-cancels.js';
import { registerProcessRequestRoute } from './process-request-route.js';
import { createJobSender } from './job-sender.js';
import { routerProcessor } from './router-processor.js';
import { existingRouteCapabilities } from './route-queues.js';
import { gatewayClients } from './tenants/gateway-clients.js';
import type { RouteJobData, RouteJobResult } from './route-job.js';
import { createGatewayWebhooks } from './webhooks/gateway-webhooks.js';
import { createSegmentRouting } from './segment-routing.js';
import { withWebhookDelivery } from './webhooks/enqueue-webhook.js';
import { createAIRouting } from './ai-routing.js';
import { registerAIRoutes } from './ai-routes.js';
import type { AIPipelineSource } from './ai-pipeline-source.js';
import { createByocStreaming } from './byoc-stream-routing.js';
import { createLiveRunnerRouting, gatewayCeilings } from './live-runner-routing.js';
import { routeViaLiveRunner, type AILiveFallbackDeps } from './ai-live-fallback.js';
import type { AIRoute } from './ai-router.js';
import { unknownSelection } from '../../config/start-refusals.js';

export interface GatewayRole {
  readonly pool: OrchestratorPool;
  readonly routes: JobsKernel;
  /** coreServices.gateway: segments routed as `video/transcode` route jobs (ADR 0026). */
  readonly segments: GatewayService;
  start(): Promise<void>;
}

export interface GatewayRoleOptions {
  readonly config: KernelConfig;
  readonly kernel: KernelServices;
  readonly app: FastifyInstance;
  readonly chain: ChainPaymentSources | undefined;
  readonly account: LocalAccount;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly teardown: TeardownStack;
}

function price(p: { pricePerUnit: string; pixelsPerUnit: string }) {
  return { pricePerUnit: BigInt(p.pricePerUnit), pixelsPerUnit: BigInt(p.pixelsPerUnit) };
}

/** Without a selection plugin: the pool's own order (fastest GetOrchestrator answer first). */
const discoveryOrder: SelectionAlgorithm = { name: 'discovery-order', select: (candidates) => [...candidates] };

function selectionAlgorithm(kernel: KernelServices, name: string | undefined): SelectionAlgorithm {
  if (name !== undefined) {
    const algorithm = kernel.selection.get(name);
    if (algorithm === undefined) throw unknownSelection(name, kernel.selection.names);
    return algorithm;
  }
  // go-livepeer's default when present; else whatever one plugin offers; else discovery order.
  return kernel.selection.get('probability') ?? kernel.selection.get(kernel.selection.names[0] ?? '') ?? discoveryOrder;
}

export async function prepareGatewayRole(options: GatewayRoleOptions): Promise<GatewayRole> {
  const { config, kernel, app, chain, account, teardown } = options;
  const settings = config.gateway;
  const logger = options.logger.child({ component: 'gateway' });
  const algorithm = selectionAlgorithm(kernel, settings.selection);
  const metrics = gatewayMetrics(options.metrics);
  const orchestrators = orchestratorMetrics(options.metrics);

  const credentials = await gatewayCredentials(account);
  const pool = new OrchestratorPool(
    { candidates: () => kernel.discovery.candidates(), credentials },
    {
      discoveryTimeoutMs: settings.discoveryTimeoutMs,
      maxDiscoveryTimeoutMs: settings.maxDiscoveryTimeoutMs,
      discoveryConcurrency: settings.discoveryConcurrency,
      refreshMs: settings.poolRefreshMs,
      ...(settings.maxPrice !== undefined ? { maxPrice: price(settings.maxPrice) } : {}),
      maxPricePerCapability: Object.fromEntries(Object.entries(settings.maxPricePerCapability).map(([k, v]) => [k, price(v)])),
      onSuspend: (uri, reason) => orchestrators.suspended(uri, reason),
    },
  );
  orchestratorPoolMetrics(options.metrics, pool);
  if (chain !== undefined) gatewayFundsMetrics(options.metrics, chain.senderInfo, fromHex(account.address), (err) => logger.debug({ err }, 'could not read deposit and reserve for /metrics'));
  teardown.push('orchestrator pool', () => pool.close());

  // Before the routes so it closes after them (teardown unwinds in reverse): draining route jobs still queue deliveries.
  const webhooks = await createGatewayWebhooks({ config, redisUrl: kernel.redisUrl, dataDir: kernel.dataDir, payloads: kernel.blobs, logger: logger as unknown as LoggerService, metrics: options.metrics });
  teardown.push('gateway webhooks', () => webhooks.deliveries.close());

  const redis = await connectRedis(kernel.redisUrl, { connectionName: 'lpx-gateway-routes', connectTimeoutMs: config.redis.connectTimeoutMs });
  const routes = new JobsKernel({
    connection: redis,
    ownsConnection: true,
    prefix: `${config.redis.prefix}:route`,
    logger: logger as unknown as LoggerService,
    worker: config.jobs,
    localStartMs: config.jobs.localStartMs,
    // Route jobs are client requests: counted as lpx_gateway_requests_* (not lpx_jobs_*) and sent on /events as gateway jobs.
    observer: gatewayRequestMetrics(options.metrics),
    // Client bodies and results above blobs.inlineMaxBytes stay out of Redis (docs/adr/0020-blob-store.md).
    blobs: kernel.blobs,
  });
  teardown.push('gateway routes', () => routes.close());
  queueDepthMetrics(options.metrics, 'gateway', routes);
  const clients = gatewayClients({ config, redis, offered: (capabilityId) => pool.offers(capabilityId), warn: (message) => logger.warn(message) });

  const sender = createJobSender({ account, chain, requestTimeoutMs: settings.requestTimeoutMs, httpVersion: settings.orchestratorHttpVersion, limits: { maxEV: BigInt(settings.maxTicketEV), maxTotalEV: BigInt(settings.maxTotalEV) }, logger, metrics: options.metrics, onPaid: (count, uri) => metrics.ticketsSent(uri, count) });
  teardown.push('gateway credit book', async () => sender.close());
  // Route jobs whose synchronous caller hung up (ADR 0064): shared by the API and its routers.
  const cancels = new ClientCancels(redis, `${config.redis.prefix}:route`);
  const processor = withWebhookDelivery(
    routerProcessor({
      cancels,
      pick: async (capabilityId, exclude, tenant, include) => {
        if (pool.usable(capabilityId).length === 0) await pool.untilUsable(capabilityId);
        else void pool.refreshDue().catch((err: unknown) => logger.warn({ err }, 'pool refresh failed'));
        const maxPrice = clients.maxPriceOf(tenant);
        // A go-livepeer client's `orchestrators.include`: everyone else is left out.
        const left = include === undefined ? exclude : new Set([...exclude, ...pool.usable(capabilityId).map((e) => e.uri).filter((uri) => !include.has(uri.replace(/\/+$/, '')))]);
        return pool.pick(capabilityId, { exclude: left, algorithm, ...(maxPrice !== undefined ? { maxPrice } : {}) });
      },
      send: async (target, { tenant, ...job }) => {
        const charge = clients.chargeFor(tenant);
        const started = performance.now();
        const result = await sender.send(target as PoolEntry, { ...job, ...(charge !== undefined ? { charge } : {}) });
        orchestrators.succeeded(target.uri, (performance.now() - started) / 1000);
        return result;
      },
      suspend: (uri, reason) => pool.suspend(uri, reason),
      refresh: (uri) => pool.refresh(uri).then(() => undefined),
      maxOrchestratorAttempts: settings.maxOrchestratorAttempts,
      onAttemptFailed: ({ jobId, uri, error, action }) => {
        metrics.attemptFailed(action);
        orchestrators.failed(uri, action);
        logger.warn({ jobId, uri, action, err: error }, 'orchestrator attempt failed');
      },
    }),
    settings.jobAttempts,
    webhooks.deliveries,
    logger as unknown as LoggerService,
  );

  const served = new Set<string>();
  const ensureRouter = (capabilityId: string): void => {
    if (served.has(capabilityId)) return;
    served.add(capabilityId);
    // Segments have their own router: go-livepeer's /segment wire, pixel payments, stream stickiness;
    // AI requests theirs: go-livepeer's AI wire, per-model prices and sessions (ADR 0034).
    const route =
      capabilityId === TRANSCODE_CAPABILITY_ID
        ? (segments.processor as unknown as typeof processor)
        : capabilityId.startsWith('ai/')
          ? (ai.processor as unknown as typeof processor)
          : processor;
    routes.registerProcessor<RouteJobData, RouteJobResult>(capabilityId, route, { concurrency: settings.concurrency });
  };
  const segments = createSegmentRouting({
    config,
    pool,
    algorithm,
    account,
    chain,
    credentials,
    clients,
    routes,
    ensureRouter,
    logger,
    onAttemptFailed: ({ jobId, uri, error, action }) => {
      metrics.attemptFailed(action);
      orchestrators.failed(uri, action);
      logger.warn({ jobId, uri, action, err: error }, 'orchestrator attempt failed for a segment');
    },
    onPaid: (count, uri) => metrics.ticketsSent(uri, count),
    metrics: options.metrics,
  });
  teardown.push('gateway segment sessions', async () => segments.close());
  // The kernel's collected pipelines (`ai.pipelines`) validate and price AI requests here.
  const pipelines: AIPipelineSource = { get: (name) => kernel.ai.pipelines.get(name), get limits() { return kernel.ai.limits; } };
  const ai = createAIRouting({
    config,
    pool,
    algorithm,
    account,
    chain,
    credentials,
    pipelines,
    clients,
    routes,
    ensureRouter,
    store: kernel.blobs.store,
    logger,
    onAttemptFailed: ({ requestId, uri, error, action }) => {
      metrics.attemptFailed(action);
      orchestrators.failed(uri, action);
      logger.warn({ requestId, uri, action, err: error }, 'orchestrator attempt failed for an AI request');
    },
    onPaid: (count, uri) => metrics.ticketsSent(uri, count),
    metrics: options.metrics,
    // Called at request time only, when liveRunners below exists.
    ...(settings.liveRunner.batchAIFallback ? { fallback: (route: AIRoute) => routeViaLiveRunner(aiLiveFallbackDeps(), route) } : {}),
  });
  teardown.push('gateway AI sessions', async () => ai.close());
  registerAIRoutes(app, { service: ai.service, pipelines, tenants: clients.tenants, budgets: clients.budgets, routes, ensureRouter });
  const liveRunners = createLiveRunnerRouting({ config, app, pool, algorithm, account, chain, clients, logger, metrics: options.metrics, onPaid: (count, uri) => metrics.ticketsSent(uri, count) });
  teardown.push('gateway Live Runner sessions', () => liveRunners.close());
  // BYOC streams (`/process/stream/*`, ADR 0048): in memory; shutdown stops each on its orchestrator.
  const streams = createByocStreaming({ config, app, pool, account, chain, clients, logger, metrics: options.metrics });
  teardown.push('gateway BYOC streams', () => streams.close());
  const aiLiveFallbackDeps = (): AILiveFallbackDeps => ({
    router: liveRunners.router,
    hasApp: async (appName) => {
      await liveRunners.directory.refresh().catch((err: unknown) => logger.warn({ err }, 'Live Runner discovery failed'));
      return liveRunners.directory.offers(appName, 'single-shot').length > 0;
    },
    ceilings: gatewayCeilings(settings.liveRunner.maxPrice),
    maxPriceOf: (tenant) => clients.maxPriceOf(tenant),
    store: (media) => ai.router.store(media),
    requestTimeoutMs: settings.requestTimeoutMs,
    onOutcome: ({ pipeline, modelId, outcome, orchestrator, error }) => {
      metrics.aiLiveFallback(pipeline, outcome);
      if (outcome === 'served') logger.info({ pipeline, model: modelId, orchestrator }, 'batch AI request served by a Live Runner app (no batch orchestrator took it)');
      else logger.warn({ pipeline, model: modelId, outcome, orchestrator, err: error }, 'Live Runner fallback for a batch AI request did not serve it');
    },
  });
  const apiDeps = { routes, ensureRouter, tenants: clients.tenants, budgets: clients.budgets, capabilities: clients.capabilities, jobAttempts: settings.jobAttempts, syncTimeoutMs: settings.requestTimeoutMs * settings.maxOrchestratorAttempts * settings.jobAttempts, webhookPolicy: webhooks.policy, cancels, inlineSync: config.jobs.inlineSync };
  registerGatewayApi(app, apiDeps);
  // go-livepeer BYOC clients talk to the gateway as to a go-livepeer one (ADR 0049).
  registerProcessRequestRoute(app, apiDeps);

  return {
    pool,
    routes,
    segments: {
      enabled: true,
      ...segments.service,
      ...ai.service,
      authenticate: async (authorization) => clients.tenants.authenticate(authorization)?.name,
    },
    async start() {
      // Queues left in Redis get routers only for capabilities this gateway knows (ADR 0017): junk ids
      // clients once posted stay ignored. Ones only discovery knows are picked up after each round.
      const leftover = await existingRouteCapabilities(redis, `${config.redis.prefix}:route`);
      const recover = (): void => {
        for (const capabilityId of leftover) if (clients.capabilities.knownNow(capabilityId)) ensureRouter(capabilityId);
      };
      recover();
      routes.start();
      webhooks.deliveries.start();
      // Fill the pool now so the first job does not pay for discovery.
      void pool
        .discover()
        .catch((err: unknown) => logger.warn({ err }, 'initial discovery failed; retrying on the first job'))
        .finally(() => {
          clients.discovered();
          recover();
          const ignored = leftover.filter((capabilityId) => !served.has(capabilityId));
          if (ignored.length > 0) logger.info({ ignored }, 'route queues of capabilities this gateway does not know are ignored');
        });
      // A discovery round per refresh period, jobs or not: orchestrators discovery adds later join the
      // pool, ones it drops leave, and suspensions count down in rounds as in go-livepeer.
      const refresher = setInterval(() => void pool.discover().then(recover, (err: unknown) => logger.warn({ err }, 'discovery round failed')), settings.poolRefreshMs);
      refresher.unref();
      teardown.push('orchestrator pool refresh', async () => clearInterval(refresher));
      logger.info({ algorithm: algorithm.name, recovered: [...served] }, 'gateway routing');
    },
  };
}
