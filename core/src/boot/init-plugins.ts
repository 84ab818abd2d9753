import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { isServiceRef, type DependencyRef, type GatewayService } from '@lpx/sdk';
import type { LoadedConfig } from '../config/load-config.js';
import type { ContainerScopes } from '../container/scopes.js';
import type { GrpcEdge } from '../grpc/grpc-edge.js';
import { lockable } from '../lifecycle/extension-point-lock.js';
import { runInits } from '../plugins/init-runner.js';
import { provideServices } from '../plugins/provide-services.js';
import { dataDirOf, type KernelServices } from './kernel-services.js';
import { createPluginScope, type PluginScope } from './plugin-scope.js';
import { PluginPermissions } from '../permissions/plugin-permissions.js';
import type { PreparedPlugins } from './prepare-plugins.js';
import { runShutdownHooks } from './start-hooks.js';
import type { TeardownStack } from './teardown-stack.js';

export interface InitPluginsInputs {
  prepared: PreparedPlugins;
  kernel: KernelServices;
  scopes: ContainerScopes;
  grpc: GrpcEdge;
  config: LoadedConfig;
  logger: Logger;
  metrics: Registry;
  shutdown: AbortController;
  teardown: TeardownStack;
  /** coreServices.gateway as the kernel built it; plugins get it behind their `spend` permission. */
  gateway: GatewayService;
  /** Kernel-side declarations (remote workers) made after the plugins', before the registry is published. */
  beforePublish?: (kernel: KernelServices) => void;
}

/**
 * Creates each plugin's scope and runs the inits in graph order. Plugins get
 * a plain object of resolved deps, never a container. An extension point
 * locks as soon as its owner's init resolves; the kernel's lock after all.
 */
export async function initPlugins(inputs: InitPluginsInputs): Promise<Map<string, PluginScope>> {
  const { prepared, kernel, scopes, config: loaded, teardown } = inputs;
  const { config } = loaded;
  const points = new Map<string, ReturnType<typeof lockable<object>>>();
  points.set('discovery.strategies', lockable('discovery.strategies', kernel.discovery));
  points.set('selection.algorithms', lockable('selection.algorithms', kernel.selection));
  points.set('transcode.backends', lockable('transcode.backends', kernel.transcode.backends));
  points.set('containers.runtimes', lockable('containers.runtimes', kernel.containers.runtimes));
  points.set('ai.pipelines', lockable('ai.pipelines', kernel.ai.pipelines));
  points.set('ai.executors', lockable('ai.executors', kernel.ai.executors));
  for (const plugin of prepared.byId.values()) {
    for (const [id, implementation] of plugin.extensionPoints) points.set(id, lockable(id, implementation as object));
  }

  const pluginScopes = new Map<string, PluginScope>();
  for (const plugin of prepared.byId.values()) {
    const capabilityIds = (plugin.definition.manifest.capabilities ?? []).map((c) => c.id);
    pluginScopes.set(
      plugin.id,
      createPluginScope(scopes, {
        manifest: plugin.definition.manifest,
        config: plugin.config,
        dataDir: dataDirOf(loaded),
        roles: config.node.roles,
        logger: inputs.logger,
        metrics: inputs.metrics,
        grpc: inputs.grpc,
        capabilities: kernel.capabilities.forPlugin(plugin.id),
        jobs: kernel.jobs.forPlugin(plugin.id, capabilityIds, (id) => kernel.capabilities.registeredAtRuntimeBy(id) === plugin.id),
        wire: kernel.wire,
        containers: kernel.containers,
        gateway: inputs.gateway,
        permissions: new PluginPermissions(plugin.definition.manifest, config.plugins[plugin.id]?.grants),
        shutdown: inputs.shutdown,
      }),
    );
  }

  const resolveDep = (pluginId: string, ref: DependencyRef): unknown =>
    isServiceRef(ref) ? scopes.resolve(pluginId, ref) : points.get(ref.id)!.proxy;

  await runInits(
    prepared.graph,
    async (id) => {
      const plugin = prepared.byId.get(id)!;
      const deps: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(plugin.init.deps)) deps[name] = resolveDep(id, ref);
      inputs.logger.debug({ plugin: id }, 'plugin init');
      await plugin.init.init(deps as never);
    },
    (id) => config.plugins[id]?.initTimeoutMs ?? config.lifecycle.initTimeoutMs,
    (id) => {
      for (const point of prepared.byId.get(id)!.extensionPoints.keys()) points.get(point)!.lock();
      teardown.push(`plugin ${id}`, () => runShutdownHooks(id, pluginScopes.get(id)!, config.lifecycle.stopTimeoutMs));
    },
    // Services a plugin provides are built after its init, before any consumer's (docs/adr/0018-plugin-provided-services.md).
    (id) =>
      provideServices(prepared.byId.get(id)!, {
        resolveDep,
        publish: (ref, value) => scopes.registerRoot(ref, value),
        onDispose: (name, run) => teardown.push(name, run),
        timeoutMs: config.plugins[id]?.initTimeoutMs ?? config.lifecycle.initTimeoutMs,
        stopTimeoutMs: config.lifecycle.stopTimeoutMs,
      }),
  );
  points.get('discovery.strategies')!.lock();
  points.get('selection.algorithms')!.lock();
  points.get('transcode.backends')!.lock();
  points.get('containers.runtimes')!.lock();
  points.get('ai.pipelines')!.lock();
  points.get('ai.executors')!.lock();
  kernel.transcode.declare(kernel.capabilities, [...prepared.byId.values()].map((plugin) => plugin.definition.manifest));
  kernel.ai.declare(kernel.capabilities, [...prepared.byId.values()].map((plugin) => plugin.definition.manifest), config.node.roles);
  inputs.beforePublish?.(kernel);
  kernel.capabilities.publish();
  return pluginScopes;
}
