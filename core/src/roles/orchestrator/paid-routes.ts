/**
 * The orchestrator's paid HTTP routes on its front door: go-livepeer's
 * `/segment` and `/payment`, and the BYOC job routes (`/process/token`,
 * `/process/request/*`) through which lpx gateways — and go-livepeer BYOC
 * gateways — send capability jobs, dispatched to workers over BullMQ.
 * Segments become `video/transcode` jobs for the kernel's transcode workers
 * (core/src/transcode), whose renditions this door serves at `/v1/blobs/<id>`.
 */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { segmentPixelsCounter } from '../role-metrics.js';
import type { LocalAccount } from 'viem';
import type { Logger } from 'pino';
import { type CapacityReservation } from '@lpx/sdk';
import type { KernelServices } from '../../boot/kernel-services.js';
import type { KernelConfig } from '../../config/kernel-schema.js';
import { toLivepeerCapabilities } from '../../capabilities/index.js';
import type { AuthTokenIssuer, OrchestratorInfoSource } from '../../network/index.js';
import { registerJobRoutes } from '../../network/byoc/index.js';
import { personalSign } from '../../network/auth/gateway-signature.js';
import { registerPaymentRoute, registerSegmentRoute, type Transcoder } from '../../network/segment/index.js';
import { HOST_API_VERSION } from '@lpx/sdk';
import type { OrchestratorPayments } from './orchestrator-payments.js';
import type { SessionLimit } from './session-limit.js';
import { capabilityIdFor, workerDispatch } from './worker-dispatch.js';
import { RenditionLinks } from '../../transcode/rendition-links.js';
import { registerAIRoutes } from './ai-routes.js';
import { byocJobPrice } from './byoc-job-wire.js';
import { aiServer } from './ai-serve.js';

export interface PaidRoutesDeps {
  /** The node's registry: segment pixels charged are counted there. */
  readonly metrics?: Registry;
  readonly config: KernelConfig;
  readonly kernel: KernelServices;
  readonly payments: OrchestratorPayments | undefined;
  readonly authTokens: AuthTokenIssuer;
  readonly info: OrchestratorInfoSource;
  readonly sessions: SessionLimit;
  readonly serviceUri: () => string;
  readonly logger: Logger;
  /** The orchestrator key: it signs the renditions of every segment. */
  readonly account: LocalAccount;
}

/**
 * Segments go to the kernel's transcode workers when a backend plugin is
 * configured: the renditions' links live on this door, the session limit
 * follows the workers' capacity under `maxSessions: auto`.
 */
function localTranscoder(deps: PaidRoutesDeps, links: RenditionLinks): Transcoder | undefined {
  const served = deps.kernel.transcode.serveOrchestrator({
    registry: deps.kernel.capabilities,
    sign: (message) => personalSign(deps.account, message),
    serviceUri: deps.serviceUri,
    links,
  });
  if (served === undefined) return undefined;
  if (deps.config.orchestrator.maxSessions === 'auto') served.onCapacity((capacity) => (deps.sessions.maxSessions = capacity));
  return served.transcode;
}

export function mountPaidRoutes(app: FastifyInstance, deps: PaidRoutesDeps): void {
  const { kernel, payments } = deps;
  const capabilities = kernel.capabilities;
  const common = {
    authTokens: deps.authTokens,
    orchestratorCapabilities: () => toLivepeerCapabilities(capabilities.publish(), HOST_API_VERSION),
    hasCapacity: (sessionId: string) => deps.sessions.admit(sessionId),
    buildInfo: (sender: Uint8Array, _sessionId: string) => deps.info.build({ gateway: sender, ignoreCapacityCheck: true }),
    ...(payments !== undefined ? { payments: { processor: payments.processor, recipient: payments.recipient } } : {}),
  };
  registerPaymentRoute(app, common);
  // Rendition and AI result links share one /v1/blobs/<id> route on the door.
  const links = new RenditionLinks(kernel.blobs.store);
  const transcode = localTranscoder(deps, links);
  // AI pipeline routes (go-livepeer's ai_http.go) when pipeline plugins are loaded (docs/adr/0031-kernel-ai-dispatch.md).
  const ai = kernel.ai?.serveOrchestrator({ registry: capabilities });
  if (ai !== undefined) {
    registerAIRoutes(app, { ai: kernel.ai, served: ai, registry: capabilities, paid: common, store: kernel.blobs.store, links, serviceUri: deps.serviceUri, logger: deps.logger, batchRoutes: deps.config.ai.batchRoutes });
    // Plugins that took the payment themselves (ai-live-runner) run AI through this (ADR 0050); partial kernels in tests have no wire.
    kernel.wire?.setAI(aiServer({ ai: kernel.ai, served: ai, registry: capabilities, store: kernel.blobs.store }));
  }
  if (transcode !== undefined || ai !== undefined) links.register(app);
  const charged = deps.metrics === undefined ? undefined : segmentPixelsCounter(deps.metrics);
  registerSegmentRoute(app, { ...common, ...(transcode !== undefined ? { transcode } : {}), ...(charged !== undefined ? { onPixelsCharged: (pixels: bigint) => charged.inc(Number(pixels)) } : {}) });

  const dispatch = workerDispatch(kernel.jobs.service, capabilities, kernel.jobs.submitAndStream);
  registerJobRoutes<CapacityReservation>(app, {
    ...(payments !== undefined ? { payments: { processor: payments.processor, recipient: payments.recipient } } : {}),
    priceFor: (capability) => byocJobPrice(capabilities, capability),
    validate: (capability, request) => capabilities.validateRequest(capabilityIdFor(capability), request),
    admit: (capability) => {
      const id = capabilityIdFor(capability);
      if (capabilities.get(id) === undefined || capabilities.available(id) < 1) return undefined;
      return capabilities.reserve(id);
    },
    release: (reservation) => capabilities.release(reservation),
    availableCapacity: (capability) => {
      const id = capabilityIdFor(capability);
      return capabilities.get(id) === undefined ? 0 : capabilities.available(id);
    },
    dispatch: (input) =>
      dispatch({
        capabilityId: capabilityIdFor(input.capability),
        requestId: input.requestId,
        body: input.body,
        contentType: input.contentType,
        timeoutMs: input.timeoutMs,
        subpath: input.subpath,
        sender: input.sender,
        request: input.request,
        parameters: input.parameters,
      }),
    serviceAddr: deps.serviceUri,
    now: () => Date.now(),
    streamDebitIntervalMs: deps.config.orchestrator.byocStreamDebitIntervalMs,
  });
  deps.logger.debug({ transcode: transcode !== undefined }, 'paid routes mounted');
}
