/**
 * The gateway's segment routing, assembled from the role's parts: the pool
 * (selection by capability bits and max price, suspensions), a TicketSender
 * of its own for pixel payments, per-stream sessions, the `video/transcode`
 * router processor and the `coreServices.gateway` service on top (ADR 0026).
 */
import { errors, type RationalPrice, type SelectionAlgorithm } from '@lpx/sdk';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { LocalAccount } from 'viem';
import { livepeerCompatibleWith, TRANSCODE_CAPABILITY_ID, type LivepeerCapabilities } from '../../capabilities/index.js';
import type { KernelConfig } from '../../config/kernel-schema.js';
import type { OrchestratorPool } from '../../gateway/pool/orchestrator-pool.js';
import { endTranscodingSession, getOrchestratorInfo, networkErrors, type GatewayCredentials } from '../../network/index.js';
import { ffprobePixelCounter, segmentTimeouts } from '../../network/segment/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';
import type { GatewayClients } from './tenants/gateway-clients.js';
import { gatewayTicketSender } from './gateway-ticket-sender.js';
import { SegmentPayments, type SegmentSession } from './segment-payments.js';
import { segmentRouterProcessor } from './segment-router.js';
import { createSegmentService, type SegmentGatewayService } from './segment-service.js';
import { segmentMetrics } from './segment-metrics.js';
import { ticketSenderMetrics } from '../../observability/payment-metrics.js';
import { StreamSessions } from './segment-sessions.js';

export interface SegmentRoutingOptions {
  readonly config: KernelConfig;
  readonly pool: OrchestratorPool;
  readonly algorithm: SelectionAlgorithm;
  readonly account: LocalAccount;
  readonly chain: ChainPaymentSources | undefined;
  readonly credentials: GatewayCredentials;
  readonly clients: Pick<GatewayClients, 'maxPriceOf' | 'chargeFor' | 'tenants' | 'budgets'>;
  readonly routes: Parameters<typeof createSegmentService>[0]['routes'];
  ensureRouter(capabilityId: string): void;
  readonly logger: Logger;
  readonly onAttemptFailed?: (event: { jobId: string; uri: string; error: unknown; action: string }) => void;
  readonly onPaid?: (tickets: number, orchestrator: string) => void;
  /** The node's /metrics registry (segments, renditions, pixels). */
  readonly metrics?: Registry;
}

export interface SegmentRouting {
  readonly processor: ReturnType<typeof segmentRouterProcessor>;
  readonly service: SegmentGatewayService;
  readonly sessions: StreamSessions;
  close(): void;
}

/**
 * The pool's pick for a segment: orchestrators offering `video/transcode` under the max price
 * (the pool's filters), narrowed to those whose capability bits take the job's codecs, formats
 * and profiles (go-livepeer's CompatibleWith); an orchestrator that sent no capabilities is an
 * old transcode-only node and stays in, as go-livepeer accepts it.
 */
export function pickTranscoder(
  pool: Pick<OrchestratorPool, 'usable' | 'pick'>,
  options: { exclude: ReadonlySet<string>; jobCapabilities: LivepeerCapabilities; algorithm: SelectionAlgorithm; maxPrice?: RationalPrice | undefined },
): string {
  const skip = new Set(options.exclude);
  for (const entry of pool.usable(TRANSCODE_CAPABILITY_ID)) {
    if (entry.info.capabilities !== undefined && !livepeerCompatibleWith(options.jobCapabilities, entry.info.capabilities)) skip.add(entry.uri);
  }
  return pool.pick(TRANSCODE_CAPABILITY_ID, { exclude: skip, algorithm: options.algorithm, ...(options.maxPrice !== undefined ? { maxPrice: options.maxPrice } : {}) }).uri;
}

/** go-livepeer's gRPC budget, per GetOrchestrator a new stream session costs. */
const SESSION_OPEN_MS = 8_000;

export function createSegmentRouting(options: SegmentRoutingOptions): SegmentRouting {
  const { config, pool, account, chain, logger } = options;
  const settings = config.gateway;
  const tickets = gatewayTicketSender(account, chain, settings, options.metrics === undefined ? undefined : ticketSenderMetrics(options.metrics));
  const payments = new SegmentPayments(tickets);
  const endSession = async (session: SegmentSession): Promise<void> => {
    payments.close(session);
    if (session.info.authToken === undefined) return;
    await endTranscodingSession(session.uri, session.info.authToken).catch((err: unknown) => logger.debug({ err, orchestrator: session.uri }, 'EndTranscodingSession failed'));
  };
  const sessions = new StreamSessions({ onDrop: (session) => void endSession(session) });
  const sweeper = setInterval(() => sessions.sweep(), 60_000);
  sweeper.unref();

  // The router and the service share these (one process): coded failures back to the caller, cancels to the router.
  const failures = new Map<string, unknown>();
  const cancels = new Map<string, AbortController>();
  const metrics = options.metrics === undefined ? undefined : segmentMetrics(options.metrics);
  const mode = settings.segmentVerification;
  const checkSignature = mode === 'signature' || mode === 'pixels' || (mode === 'auto' && chain !== undefined);
  const processor = segmentRouterProcessor({
    async pick(exclude, jobCapabilities, tenant) {
      if (pool.usable(TRANSCODE_CAPABILITY_ID).length === 0) await pool.discover();
      else void pool.refreshDue().catch((err: unknown) => logger.warn({ err }, 'pool refresh failed'));
      return pickTranscoder(pool, { exclude, jobCapabilities, algorithm: options.algorithm, maxPrice: options.clients.maxPriceOf(tenant) });
    },
    usable: (uri) => pool.usable(TRANSCODE_CAPABILITY_ID).some((entry) => entry.uri === uri),
    async openSession(uri, jobCapabilities) {
      const info = await getOrchestratorInfo(uri, { credentials: options.credentials, capabilities: jobCapabilities, timeoutMs: SESSION_OPEN_MS });
      // go-livepeer builds no session for an orchestrator without a service URI or auth token.
      if (info.transcoder === '' || info.authToken === undefined) {
        throw networkErrors.MALFORMED_MESSAGE.create(`orchestrator ${uri} answered GetOrchestrator without ${info.transcoder === '' ? 'a transcoder URI' : 'an auth token'}`, { details: { uri } });
      }
      return payments.open(uri, info);
    },
    suspend: (uri, reason) => pool.suspend(uri, reason),
    sessions,
    payments,
    signer: account,
    chargeFor: (tenant) => options.clients.chargeFor(tenant),
    checkSignature,
    ...(mode === 'pixels' ? { countPixels: ffprobePixelCounter() } : {}),
    maxOrchestratorAttempts: settings.maxOrchestratorAttempts,
    failures,
    cancels,
    ...(options.onAttemptFailed !== undefined ? { onAttemptFailed: options.onAttemptFailed } : {}),
    onTranscoded: ({ uri, tickets: count, renditions, pixels, phases }) => {
      if (count > 0) options.onPaid?.(count, uri);
      metrics?.transcoded(uri, renditions, pixels, phases);
    },
    onFailed: () => metrics?.failed(),
  });
  const service = createSegmentService({
    routes: options.routes,
    ensureRouter: options.ensureRouter,
    sessions,
    endSession,
    failures,
    cancels,
    async checkTenant(name) {
      const tenant = options.clients.tenants.get(name);
      if (tenant === undefined) throw errors.gateway.API_KEY_INVALID.create(`tenant ${name} is not configured on this gateway`);
      if (!tenant.allows(TRANSCODE_CAPABILITY_ID)) throw errors.gateway.CAPABILITY_NOT_ALLOWED.create(`tenant ${name} may not use ${TRANSCODE_CAPABILITY_ID}`);
      await options.clients.budgets.assertWithin(tenant);
    },
    waitMsFor: (durationMs) => (segmentTimeouts(durationMs).callMs + SESSION_OPEN_MS) * settings.maxOrchestratorAttempts + settings.maxDiscoveryTimeoutMs,
  });
  return {
    processor,
    service,
    sessions,
    close() {
      clearInterval(sweeper);
      sessions.clear();
    },
  };
}
