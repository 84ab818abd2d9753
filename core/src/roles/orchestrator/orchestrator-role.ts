/**
 * The orchestrator role: one TLS port (go-livepeer's -serviceAddr) serving the
 * `net.Orchestrator` gRPC service and the paid HTTP routes, with
 * OrchestratorInfo built from the capability registry and the payments
 * Recipient. Accepted work goes to the capability queues on BullMQ. What
 * plugins recorded on coreServices.orchestratorWire (remote transcoders'
 * net.Transcoder and /transcodeResults) is mounted on the same door.
 */
import type { LocalAccount } from 'viem';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { HOST_API_VERSION } from '@lpx/sdk';
import type { KernelServices } from '../../boot/kernel-services.js';
import type { TeardownStack } from '../../boot/teardown-stack.js';
import type { KernelConfig } from '../../config/kernel-schema.js';
import { GrpcEdge } from '../../grpc/grpc-edge.js';
import type { FastifyInstance } from 'fastify';
import { createFrontDoor } from '../../network/front-door/front-door.js';
import { installOpenApi } from '../../http/openapi/index.js';
import {
  AuthTokenIssuer,
  capabilityPricing,
  createOrchestratorGrpcService,
  generateSelfSignedCertificate,
  OrchestratorInfoBuilder,
} from '../../network/index.js';
import { fromHex, type PriceInfo } from '../../payments/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';
import { startOrchestratorPayments, type OrchestratorPayments } from './orchestrator-payments.js';
import { mountPaidRoutes } from './paid-routes.js';
import { createWirePayments } from './wire-payments.js';
import { createByocJobWire } from './byoc-job-wire.js';
import { toLivepeerCapabilities } from '../../capabilities/index.js';
import { SessionLimit } from './session-limit.js';
import { capacityMetrics } from '../../observability/capacity-metrics.js';
import { autoSessionsNeedTranscode } from '../../config/start-refusals.js';

export interface OrchestratorRole {
  readonly serviceUri: string;
  readonly address: string;
  readonly payments: OrchestratorPayments | undefined;
  readonly authTokens: AuthTokenIssuer;
  /** The TLS front door's HTTP routes (its /openapi.json, in-process inspection). */
  readonly frontDoor: FastifyInstance;
}

export interface OrchestratorRoleOptions {
  readonly config: KernelConfig;
  readonly kernel: KernelServices;
  readonly chain: ChainPaymentSources | undefined;
  readonly account: LocalAccount;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly teardown: TeardownStack;
}

const FRONT_DOOR_OPENAPI = {
  title: "lpx orchestrator front door",
  description: "The orchestrator's TLS port (`orchestrator.port`, go-livepeer's -serviceAddr): go-livepeer's paid HTTP routes, BYOC job routes and plugin wire routes. gRPC (net.Orchestrator) shares the port and is not described here. go-livepeer routes answer their own refusals in plain text as go-livepeer does; the rest is application/problem+json.",
};

function perGatewayPrices(config: KernelConfig): ReadonlyMap<string, PriceInfo> {
  return new Map(
    Object.entries(config.orchestrator.pricePerGateway).map(([address, p]) => [address.toLowerCase(), { pricePerUnit: BigInt(p.pricePerUnit), pixelsPerUnit: BigInt(p.pixelsPerUnit) }]),
  );
}

export async function startOrchestratorRole(options: OrchestratorRoleOptions): Promise<OrchestratorRole> {
  const { config, kernel, chain, account, teardown } = options;
  const logger = options.logger.child({ component: 'orchestrator' });
  const settings = config.orchestrator;
  const payments = chain === undefined ? undefined : await startOrchestratorPayments({ config, chain, account, redisUrl: kernel.redisUrl, logger, metrics: options.metrics, teardown });

  const authTokens = new AuthTokenIssuer();
  let serviceUri = '';
  // Retired batch routes (ai.batchRoutes: false, go-livepeer #4036): AI capabilities are not advertised either.
  const descriptors = config.ai.batchRoutes ? () => kernel.capabilities.publish() : () => kernel.capabilities.publish().filter((d) => !d.id.startsWith('ai/'));
  const info = new OrchestratorInfoBuilder({
    serviceUri: () => serviceUri,
    address: fromHex(account.address),
    descriptors,
    nodeVersion: HOST_API_VERSION,
    authTokens,
    ...(payments !== undefined ? { payments: { pricing: capabilityPricing(descriptors, { perGateway: perGatewayPrices(config) }), tickets: payments.recipient } } : {}),
  });

  const auto = settings.maxSessions === 'auto';
  if (auto && !kernel.transcode.declared) {
    throw autoSessionsNeedTranscode();
  }
  const sessions = new SessionLimit(auto ? 0 : (settings.maxSessions as number), 60_000, Date.now, (sessionId) => kernel.transcode.endSession(sessionId));
  capacityMetrics(options.metrics, kernel.capabilities, sessions);
  const grpc = new GrpcEdge();
  const service = createOrchestratorGrpcService({
    info,
    authTokens,
    // go-livepeer checks gateway signatures whenever it runs on a chain.
    verifyGatewaySig: settings.verifyGatewaySig ?? payments !== undefined,
    signer: account,
    hasSessionCapacity: () => sessions.hasRoom(),
    onEndSession: (sessionId) => sessions.end(sessionId),
    onError: (err, method) => logger.info({ err, method }, 'orchestrator RPC refused'),
  });
  grpc.facadeFor('kernel.orchestrator').addService(service.definition, service.implementation);
  kernel.wire.applyGrpc(grpc);
  const grpcPort = (await grpc.start('127.0.0.1', 0))!;
  teardown.push('orchestrator grpc', () => grpc.stop(config.lifecycle.stopTimeoutMs));

  const advertisedHost = settings.serviceAddr?.split(':')[0] ?? settings.host;
  const tls = await generateSelfSignedCertificate({ hostname: advertisedHost === '0.0.0.0' ? '127.0.0.1' : advertisedHost });
  const door = createFrontDoor({ host: settings.host, port: settings.port, tls, grpcTarget: { host: '127.0.0.1', port: grpcPort }, logger });
  // The door documents its own routes (go-livepeer's wire, BYOC, plugin wire routes) at /openapi.json (ADR 0058).
  await installOpenApi(door.app, FRONT_DOOR_OPENAPI);
  kernel.wire.setPayments(
    createWirePayments({
      authTokens,
      info,
      serviceUri: () => serviceUri,
      address: fromHex(account.address),
      orchestratorCapabilities: () => toLivepeerCapabilities(kernel.capabilities.publish(), HOST_API_VERSION),
      ...(payments !== undefined ? { payments: { processor: payments.processor, recipient: payments.recipient } } : {}),
    }),
  );
  kernel.wire.setByocJobs(createByocJobWire({ capabilities: kernel.capabilities, ...(payments !== undefined ? { payments: { processor: payments.processor, recipient: payments.recipient } } : {}) }));
  kernel.wire.applyHttp(door.app);
  mountPaidRoutes(door.app, { config, kernel, payments, authTokens, info, sessions, account, metrics: options.metrics, serviceUri: () => serviceUri, logger });
  // Built before listening so a plugin's refused wire route fails the boot with its own code, not as a listen error.
  await door.app.ready();
  const { port } = await door.start();
  teardown.push('orchestrator front door', () => door.close());
  serviceUri = `https://${settings.serviceAddr ?? `${settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host}:${port}`}`;
  kernel.wire.opened({ serviceUri, address: account.address });
  logger.info({ serviceUri, address: account.address, payments: payments !== undefined }, 'orchestrator serving');
  return { serviceUri, address: account.address, payments, authTokens, frontDoor: door.app };
}
