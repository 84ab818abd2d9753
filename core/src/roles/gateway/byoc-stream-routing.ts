/**
 * Composes the gateway's BYOC streaming (`/process/stream/*`, ADR 0048) from
 * what the gateway role already has: the pool (every orchestrator it knows is
 * asked for a token, as go-livepeer does), the node's key (signs JobRequests
 * and tickets), the chain (funds tickets; none offchain) and the tenants.
 */
import { errors } from '@lpx/sdk';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { LocalAccount } from 'viem';
import type { KernelConfig } from '../../config/kernel-schema.js';
import type { OrchestratorPool } from '../../gateway/pool/orchestrator-pool.js';
import { jobSenderFor, type JobSender } from '../../network/byoc/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';
import { ByocStreamService, type ByocStreamServiceDeps } from './byoc-stream-service.js';
import { registerByocStreamRoutes } from './byoc-stream-routes.js';
import { gatewayTicketSender } from './gateway-ticket-sender.js';
import type { Registry } from 'prom-client';
import { ticketSenderMetrics } from '../../observability/payment-metrics.js';
import type { GatewayClients } from './tenants/gateway-clients.js';

/** go-livepeer's control channel keepalive. */
export const STREAM_CONTROL_KEEPALIVE_MS = 10_000;

export interface ByocStreamingOptions {
  readonly config: KernelConfig;
  readonly app: FastifyInstance;
  readonly pool: OrchestratorPool;
  readonly account: LocalAccount;
  readonly chain: ChainPaymentSources | undefined;
  readonly clients: GatewayClients;
  readonly logger: Logger;
  /** The node's /metrics registry (ticket value sent). */
  readonly metrics?: Registry;
}

export function createByocStreaming(options: ByocStreamingOptions): ByocStreamService {
  const { pool, clients } = options;
  let sender: Promise<JobSender> | undefined;
  const service = new ByocStreamService({
    wire: {
      signer: options.account,
      sender: () => (sender ??= jobSenderFor(options.account)),
      tickets: gatewayTicketSender(options.account, options.chain, options.config.gateway, options.metrics === undefined ? undefined : ticketSenderMetrics(options.metrics)),
      logger: options.logger.child({ component: 'byoc-stream' }),
      now: () => Date.now(),
      paymentIntervalMs: options.config.gateway.byocStreamPaymentIntervalMs,
      controlKeepaliveMs: STREAM_CONTROL_KEEPALIVE_MS,
      maxPaymentFailures: 2,
    },
    async candidates() {
      if (pool.size === 0) await pool.discover();
      return pool.cached().map((slot) => slot.uri).filter((uri) => !pool.isSuspended(uri));
    },
    ...streamTenancy(clients),
  });
  registerByocStreamRoutes(options.app, service);
  return service;
}

/** Tenancy as on /v1/jobs (ADR 0017): the bearer key's tenant, its allowed capabilities and budget, its charge hook. */
export function streamTenancy(clients: Pick<GatewayClients, 'tenants' | 'budgets' | 'chargeFor'>): Pick<ByocStreamServiceDeps, 'authenticate' | 'admit' | 'chargeFor'> {
  return {
    authenticate: (authorization) => clients.tenants.authenticate(authorization)?.name,
    async admit(name, capabilityId) {
      const tenant = name === undefined ? undefined : clients.tenants.get(name);
      if (tenant === undefined) return;
      if (!tenant.allows(capabilityId)) throw errors.gateway.CAPABILITY_NOT_ALLOWED.create(`tenant ${name} may not use ${capabilityId}`);
      await clients.budgets.assertWithin(tenant);
    },
    chargeFor: (name) => clients.chargeFor(name),
  };
}
