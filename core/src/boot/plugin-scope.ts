import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { coreServices, type CapabilitiesService, type GatewayService, type JobsService, type LoggerService, type PluginManifest } from '@lpx/sdk';
import type { ContainerScopes } from '../container/scopes.js';
import type { KernelContainers } from '../containers/kernel-containers.js';
import type { GrpcEdge } from '../grpc/grpc-edge.js';
import { PluginHttpFacade } from '../http/plugin-http-facade.js';
import type { PluginWire } from '../roles/orchestrator/plugin-wire.js';
import { PluginLifecycle } from '../lifecycle/plugin-lifecycle.js';
import { createPluginMetrics } from '../observability/plugin-metrics.js';
import { guardedContainers } from '../permissions/guarded-containers.js';
import { pluginEgress } from '../permissions/plugin-egress.js';
import type { PluginPermissions } from '../permissions/plugin-permissions.js';
import { spendGateway } from '../permissions/spend-gateway.js';

export interface PluginScope {
  readonly id: string;
  readonly http: PluginHttpFacade;
  readonly lifecycle: PluginLifecycle;
}

export interface PluginScopeInputs {
  manifest: PluginManifest;
  config: Record<string, unknown>;
  dataDir: string;
  roles: readonly string[];
  logger: Logger;
  metrics: Registry;
  grpc: GrpcEdge;
  capabilities: CapabilitiesService;
  jobs: JobsService;
  wire: PluginWire;
  containers: KernelContainers;
  /** The node's coreServices.gateway; each plugin sees it behind its `spend` permission. */
  gateway: GatewayService;
  /** What the plugin's manifest (and the operator) grant it (docs/adr/0036-permissions-enforced.md). */
  permissions: PluginPermissions;
  shutdown: AbortController;
}

/** Registers one plugin's scoped services in its own child container. */
export function createPluginScope(scopes: ContainerScopes, inputs: PluginScopeInputs): PluginScope {
  const { manifest } = inputs;
  const child = scopes.childFor(manifest.id);
  const http = new PluginHttpFacade(manifest.id);
  const lifecycle = new PluginLifecycle(inputs.shutdown);
  const pluginDataDir = resolve(join(inputs.dataDir, 'plugins', manifest.id));
  const config = inputs.config;
  child.registerInstance(coreServices.logger.id, inputs.logger.child({ plugin: manifest.id }) as unknown as LoggerService);
  child.registerInstance(coreServices.config.id, { get: <T>() => config as T, dataDir: pluginDataDir, roles: inputs.roles });
  child.registerInstance(coreServices.http.id, http);
  child.registerInstance(coreServices.grpc.id, inputs.grpc.facadeFor(manifest.id));
  child.registerInstance(coreServices.metrics.id, createPluginMetrics(manifest.id, inputs.metrics));
  child.registerInstance(coreServices.lifecycle.id, lifecycle);
  child.registerInstance(coreServices.capabilities.id, inputs.capabilities);
  child.registerInstance(coreServices.jobs.id, inputs.jobs);
  child.registerInstance(coreServices.orchestratorWire.id, inputs.wire.facadeFor(manifest.id));
  // Kernel-mediated resources pass the plugin's permissions (docs/adr/0036-permissions-enforced.md).
  child.registerInstance(coreServices.containers.id, guardedContainers(inputs.containers.forPlugin(manifest.id), inputs.permissions, inputs.dataDir));
  child.registerInstance(coreServices.egress.id, pluginEgress(inputs.permissions));
  child.registerInstance(coreServices.gateway.id, spendGateway(inputs.gateway, inputs.permissions));
  return { id: manifest.id, http, lifecycle };
}
