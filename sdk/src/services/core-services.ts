import { createServiceRef } from '../refs/service-ref.js';
import type { EgressService } from './egress.js';
import type { CapabilitiesService } from './capabilities.js';
import type { ConfigService } from './config.js';
import type { ContainersService } from './containers.js';
import type { DiscoveryService } from './discovery.js';
import type { GatewayService } from './gateway.js';
import type { GrpcService } from './grpc.js';
import type { HttpService } from './http.js';
import type { JobsService } from './jobs.js';
import type { LifecycleService } from './lifecycle.js';
import type { LoggerService } from './logger.js';
import type { MetricsService } from './metrics.js';
import type { OrchestratorWireService } from './orchestrator-wire.js';
import type { PaymentsService } from './payments.js';

/** Refs for the kernel services. Plugin-scoped ones give each plugin its own instance. */
export const coreServices = {
  logger: createServiceRef<LoggerService>({ id: 'core.logger', scope: 'plugin' }),
  config: createServiceRef<ConfigService>({ id: 'core.config', scope: 'plugin' }),
  http: createServiceRef<HttpService>({ id: 'core.http', scope: 'plugin' }),
  grpc: createServiceRef<GrpcService>({ id: 'core.grpc', scope: 'plugin' }),
  metrics: createServiceRef<MetricsService>({ id: 'core.metrics', scope: 'plugin' }),
  lifecycle: createServiceRef<LifecycleService>({ id: 'core.lifecycle', scope: 'plugin' }),
  capabilities: createServiceRef<CapabilitiesService>({ id: 'core.capabilities', scope: 'plugin' }),
  jobs: createServiceRef<JobsService>({ id: 'core.jobs', scope: 'plugin' }),
  payments: createServiceRef<PaymentsService>({ id: 'core.payments' }),
  discovery: createServiceRef<DiscoveryService>({ id: 'core.discovery' }),
  orchestratorWire: createServiceRef<OrchestratorWireService>({ id: 'core.orchestrator-wire', scope: 'plugin' }),
  gateway: createServiceRef<GatewayService>({ id: 'core.gateway' }),
  containers: createServiceRef<ContainersService>({ id: 'core.containers', scope: 'plugin' }),
  egress: createServiceRef<EgressService>({ id: 'core.egress', scope: 'plugin' }),
} as const;

export type CoreServiceId = (typeof coreServices)[keyof typeof coreServices]['id'];
