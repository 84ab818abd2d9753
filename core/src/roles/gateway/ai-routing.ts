/**
 * The gateway's AI routing, assembled from the role's parts (ADR 0034): the
 * pool (orchestrators offering the model within the price ceilings, warm
 * ones first), a TicketSender and mirror balances of its own (the segment
 * payment code, per (orchestrator, `<capability>_<model>`) session), the
 * `ai/<pipeline>` router processor, media re-hosted in the node's blob
 * store, and the AI half of `coreServices.gateway` on top.
 */
import { errors, type RationalPrice, type SelectionAlgorithm } from '@lpx/sdk';
import type { Logger } from 'pino';
import type { LocalAccount } from 'viem';
import { blobUrlWithToken, type BlobStore } from '../../blobs/index.js';
import type { KernelConfig } from '../../config/kernel-schema.js';
import type { OrchestratorPool } from '../../gateway/pool/orchestrator-pool.js';
import type { PoolEntry } from '../../gateway/pool/pool-options.js';
import type { Preference } from '../../gateway/pool/pool-classification.js';
import { getOrchestratorInfo, type GatewayCredentials, type OrchestratorInfo } from '../../network/index.js';
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import { livepeerMappingFor } from '../../capabilities/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';
import type { AIPipelineSource } from './ai-pipeline-source.js';
import { aiModelsOf } from './ai-models.js';
import { stricterPrice } from './ai-price.js';
import { aiRouterProcessor } from './ai-processor.js';
import type { AIRouterDeps } from './ai-router.js';
import { createAIService, type AIGatewayService } from './ai-service.js';
import { AISessions } from './ai-sessions.js';
import { gatewayTicketSender } from './gateway-ticket-sender.js';
import type { Registry } from 'prom-client';
import { ticketSenderMetrics } from '../../observability/payment-metrics.js';
import { SegmentPayments } from './segment-payments.js';
import type { GatewayClients } from './tenants/gateway-clients.js';
import { BoundedMemo } from '../../memo/bounded-memo.js';

export interface AIRoutingOptions {
  readonly config: KernelConfig;
  readonly pool: OrchestratorPool;
  readonly algorithm: SelectionAlgorithm;
  readonly account: LocalAccount;
  readonly chain: ChainPaymentSources | undefined;
  readonly credentials: GatewayCredentials;
  readonly pipelines: AIPipelineSource;
  readonly clients: Pick<GatewayClients, 'maxPriceOf' | 'chargeFor' | 'tenants' | 'budgets'>;
  readonly routes: Parameters<typeof createAIService>[0]['routes'];
  ensureRouter(capabilityId: string): void;
  readonly store: BlobStore;
  readonly logger: Logger;
  /** GetOrchestrator with the job's capabilities; default gRPC with the gateway's credentials. */
  readonly openInfo?: (uri: string, capabilities: LivepeerCapabilities) => Promise<OrchestratorInfo>;
  readonly onAttemptFailed?: AIRouterDeps['onAttemptFailed'];
  readonly onPaid?: (tickets: number, orchestrator: string) => void;
  /** The node's /metrics registry (ticket value sent). */
  readonly metrics?: Registry;
  /** The Live Runner fallback (ADR 0050); absent: batch orchestrators only. */
  readonly fallback?: AIRouterDeps['fallback'];
}

export interface AIRouting {
  readonly processor: ReturnType<typeof aiRouterProcessor>;
  readonly service: AIGatewayService;
  readonly router: AIRouterDeps;
  readonly payments: SegmentPayments;
  readonly sessions: AISessions;
  close(): void;
}

/** go-livepeer's refresh budget for an AI session's GetOrchestrator. */
const SESSION_OPEN_MS = 2_500;

/** The model's constraint says warm (go-livepeer keeps warm and cold orchestrators in two pools, warm first). */
export function isWarm(entry: Pick<PoolEntry, 'info'>, capabilityId: string, model: string): boolean {
  const mapping = livepeerMappingFor(capabilityId);
  if (mapping?.kind !== 'ai') return false;
  return entry.info.capabilities?.constraints.perCapability[mapping.id]?.models[model]?.warm === true;
}

/**
 * The warm tier's test per (capability, model): the pool keeps the subset it picks out with its usable
 * set. Bounded by the capabilities and models the gateway serves; started over rather than grown.
 */
const warmTiers = new BoundedMemo<string, Preference>(1024);

function warmTier(capabilityId: string, model: string): Preference {
  const key = `warm\u0000${capabilityId}\u0000${model}`;
  return warmTiers.getOrSet(key, () => ({ key, test: (entry) => isWarm(entry, capabilityId, model) }));
}

/**
 * The pool's pick for an AI request: warm orchestrators while any is usable,
 * then cold ones. The warm subset is kept by the pool with its usable set
 * (per capability, model and job max price), so a pick filters nothing per job.
 */
export function pickAIOrchestrator(
  pool: Pick<OrchestratorPool, 'pick'>,
  options: { capabilityId: string; model: string; exclude: ReadonlySet<string>; algorithm: SelectionAlgorithm; maxPrice?: RationalPrice | undefined },
): PoolEntry {
  return pool.pick(options.capabilityId, {
    exclude: options.exclude,
    model: options.model,
    algorithm: options.algorithm,
    prefer: warmTier(options.capabilityId, options.model),
    ...(options.maxPrice !== undefined ? { maxPrice: options.maxPrice } : {}),
  });
}

export function createAIRouting(options: AIRoutingOptions): AIRouting {
  const { config, pool, account, chain, logger } = options;
  const settings = config.gateway;
  const tickets = gatewayTicketSender(account, chain, settings, options.metrics === undefined ? undefined : ticketSenderMetrics(options.metrics));
  const payments = new SegmentPayments(tickets);
  const openInfo = options.openInfo ?? ((uri: string, capabilities: LivepeerCapabilities) => getOrchestratorInfo(uri, { credentials: options.credentials, capabilities, timeoutMs: SESSION_OPEN_MS }));
  const sessions = new AISessions({ openInfo, payments });
  const failures = new Map<string, unknown>();
  const cancels = new Map<string, AbortController>();

  const router: AIRouterDeps = {
    async pick(capabilityId, model, exclude, maxPrice, tenant) {
      // Nothing usable: wait for the first reply that is, not for the whole round (ADR 0062).
      if (pool.usable(capabilityId, model).length === 0) await pool.untilUsable(capabilityId, model);
      else void pool.refreshDue().catch((err: unknown) => logger.warn({ err }, 'pool refresh failed'));
      return pickAIOrchestrator(pool, { capabilityId, model, exclude, algorithm: options.algorithm, maxPrice: stricterPrice(maxPrice, options.clients.maxPriceOf(tenant)) });
    },
    sessions,
    payments,
    signer: account,
    chargeFor: (tenant) => options.clients.chargeFor(tenant),
    suspend: (uri, reason) => pool.suspend(uri, reason),
    async store(media) {
      const ref = await options.store.put(media.data, { contentType: media.contentType });
      // The node's public URL when it has one (set at boot), else a path on this HTTP edge.
      const url = blobUrlWithToken(ref) ?? `/v1/blobs/${ref.id}?token=${encodeURIComponent(ref.token)}`;
      return { url, contentType: media.contentType, blob: ref };
    },
    requestTimeoutMs: settings.requestTimeoutMs,
    maxOrchestratorAttempts: settings.maxOrchestratorAttempts,
    ...(options.onAttemptFailed !== undefined ? { onAttemptFailed: options.onAttemptFailed } : {}),
    ...(options.onPaid !== undefined ? { onPaid: options.onPaid } : {}),
    ...(options.fallback !== undefined ? { fallback: options.fallback } : {}),
  };
  const processor = aiRouterProcessor({ pipelines: options.pipelines, router, failures, cancels });
  const service = createAIService({
    pipelines: options.pipelines,
    router,
    routes: options.routes,
    ensureRouter: options.ensureRouter,
    failures,
    cancels,
    async checkTenant(name, capabilityId) {
      const tenant = options.clients.tenants.get(name);
      if (tenant === undefined) throw errors.gateway.API_KEY_INVALID.create(`tenant ${name} is not configured on this gateway`);
      if (!tenant.allows(capabilityId)) throw errors.gateway.CAPABILITY_NOT_ALLOWED.create(`tenant ${name} may not use ${capabilityId}`);
      await options.clients.budgets.assertWithin(tenant);
    },
    waitMs: (settings.requestTimeoutMs + SESSION_OPEN_MS) * settings.maxOrchestratorAttempts * 3 + settings.maxDiscoveryTimeoutMs,
    readMedia: (ref) => options.store.read(ref),
    models: () => aiModelsOf((capabilityId) => pool.usable(capabilityId)),
  });
  return {
    processor,
    service,
    router,
    payments,
    sessions,
    close() {
      sessions.clear();
    },
  };
}
