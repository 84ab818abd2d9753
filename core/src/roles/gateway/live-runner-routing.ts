/**
 * The gateway's Live Runner routing assembled from the role's parts (ADR
 * 0043): the pool's orchestrators and their /discovery (LiveRunnerDirectory),
 * a TicketSender and mirror balances of its own (SegmentPayments), the
 * gateway's selection algorithm, suspensions and tenant ceilings/budgets, and
 * the app-facing routes. Sessions live in this process; shutdown stops them
 * (payments first).
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { LocalAccount } from 'viem';
import type { LiveRunnerPriceUnit, SelectionAlgorithm } from '@lpx/sdk';
import type { KernelConfig } from '../../config/kernel-schema.js';
import type { OrchestratorPool } from '../../gateway/pool/orchestrator-pool.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';
import { LiveRunnerDirectory } from './live-runner-directory.js';
import type { LiveRunnerCeilings } from './live-runner-price.js';
import { LiveRunnerRouter } from './live-runner-router.js';
import { registerLiveRunnerRoutes } from './live-runner-routes.js';
import { gatewayTicketSender } from './gateway-ticket-sender.js';
import type { Registry } from 'prom-client';
import { ticketSenderMetrics } from '../../observability/payment-metrics.js';
import { SegmentPayments } from './segment-payments.js';
import type { GatewayClients } from './tenants/gateway-clients.js';

export interface LiveRunnerRoutingOptions {
  readonly config: KernelConfig;
  readonly app: FastifyInstance;
  readonly pool: OrchestratorPool;
  readonly algorithm: SelectionAlgorithm;
  readonly account: LocalAccount;
  readonly chain: ChainPaymentSources | undefined;
  readonly clients: Pick<GatewayClients, 'maxPriceOf' | 'chargeFor' | 'tenants' | 'budgets'>;
  readonly logger: Logger;
  onPaid?(tickets: number, orchestrator: string): void;
  /** The node's /metrics registry (ticket value sent). */
  readonly metrics?: Registry;
}

export function gatewayCeilings(maxPrice: Partial<Record<LiveRunnerPriceUnit, string>>): LiveRunnerCeilings {
  return Object.fromEntries(Object.entries(maxPrice).filter(([, v]) => v !== undefined).map(([unit, v]) => [unit, BigInt(v!)])) as LiveRunnerCeilings;
}

export function createLiveRunnerRouting(options: LiveRunnerRoutingOptions): { router: LiveRunnerRouter; directory: LiveRunnerDirectory; close(): Promise<void> } {
  const { config, pool, account, chain, logger } = options;
  const settings = config.gateway;
  const live = settings.liveRunner;
  const tickets = gatewayTicketSender(account, chain, settings, options.metrics === undefined ? undefined : ticketSenderMetrics(options.metrics));
  const directory = new LiveRunnerDirectory({
    orchestrators: () => pool.cached(),
    paid: tickets !== undefined,
    refreshMs: settings.poolRefreshMs,
    timeoutMs: settings.maxDiscoveryTimeoutMs,
    onRefused: (uri, refused) => logger.warn({ uri, refused: refused.map((e) => e.message) }, 'live runners refused from /discovery'),
    onFailed: (uri, err) => logger.debug({ uri, err }, '/discovery failed'),
  });
  const ceilings = gatewayCeilings(live.maxPrice);
  const router = new LiveRunnerRouter({
    directory: {
      offers: (app, mode) => directory.offers(app, mode),
      // An empty pool is filled first, as the other routers do.
      refresh: async () => {
        if (pool.size === 0) await pool.discover().catch((err: unknown) => logger.warn({ err }, 'discovery failed'));
        await directory.refresh();
      },
    },
    algorithm: options.algorithm,
    payments: tickets === undefined ? undefined : new SegmentPayments(tickets),
    signer: account,
    payer: account.address,
    isSuspended: (uri) => pool.isSuspended(uri),
    suspend: (uri, reason) => pool.suspend(uri, reason),
    chargeFor: (tenant) => options.clients.chargeFor(tenant),
    timeoutMs: settings.requestTimeoutMs,
    maxAttempts: settings.maxOrchestratorAttempts,
    intervalMs: live.paymentIntervalMs,
    aheadSeconds: live.aheadSeconds,
    onAttemptFailed: ({ uri, error, action }) => logger.warn({ uri, action, err: error }, 'orchestrator attempt failed for a Live Runner app'),
    onSessionEnded: ({ id, uri, reason }) => logger.warn({ id, uri, err: reason }, 'Live Runner session ended by its orchestrator or its payments'),
    ...(options.onPaid !== undefined ? { onPaid: (count: number, uri: string) => options.onPaid!(count, uri) } : {}),
  });
  registerLiveRunnerRoutes(options.app, {
    router,
    directory,
    tenants: options.clients.tenants,
    budgets: options.clients.budgets,
    ceilings,
    maxPriceOf: (tenant) => options.clients.maxPriceOf(tenant),
    requestTimeoutMs: settings.requestTimeoutMs,
    maxSingleShotBodyBytes: live.maxSingleShotBodyBytes,
  });
  return { router, directory, close: () => router.close() };
}
