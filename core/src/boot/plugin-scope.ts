import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { coreServices, type CapabilitiesService, type JobsService, type LoggerService, type PluginManifest } from '@lpx/sdk';
import type { ContainerScopes } from '../container/scopes.js';
import type { KernelContainers } from '../containers/kernel-containers.js';
import type { GrpcEdge } from '../grpc/grpc-edge.js';
import { PluginHttpFacade } from '../http/plugin-http-facade.js';
import type { PluginWire } from '../roles/orchestrator/plugin-wire.js';
import { PluginLifecycle } from '../lifecycle/plugin-lifecycle.js';
import { createPluginMetrics } from '../observability/plugin-metrics.js';

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
  child.registerInstance(coreServices.containers.id, inputs.containers.forPlugin(manifest.id));
  return { id: manifest.id, http, lifecycle };
}
