import { resolve } from 'node:path';
import { coreServices, errors, type PluginDefinition } from '@lpx/sdk';
import { listRegistry } from '@lpx/registry';
import { validatePluginConfig, type LoadedConfig } from '../config/load-config.js';
import { loadConfiguredPlugins, type RegistryRelease } from '../plugins/load-plugins.js';
import { buildPluginGraph, type PluginGraph } from '../plugins/plugin-graph.js';
import { registerPlugin, type RegisteredPlugin } from '../plugins/registration.js';
import { checkPluginPermissions } from '../permissions/prepare-checks.js';
import { aiExecutorsExtensionPoint, aiPipelinesExtensionPoint, discoveryStrategiesExtensionPoint, selectionAlgorithmsExtensionPoint, transcodeBackendsExtensionPoint, containerRuntimesExtensionPoint } from '@lpx/sdk';

export interface PreparedPlugin extends RegisteredPlugin {
  readonly source: string;
  /** For plugins from the plugin registry: the release, for the revocation watch. */
  readonly release?: RegistryRelease;
  /** Validated config slice with defaults applied. */
  readonly config: Record<string, unknown>;
}

export interface PreparedPlugins {
  readonly byId: ReadonlyMap<string, PreparedPlugin>;
  readonly graph: PluginGraph;
}

export const KERNEL_SERVICE_IDS: ReadonlySet<string> = new Set(Object.values(coreServices).map((ref) => ref.id));
export const KERNEL_EXTENSION_POINT_IDS: ReadonlySet<string> = new Set([
  discoveryStrategiesExtensionPoint.id,
  selectionAlgorithmsExtensionPoint.id,
  transcodeBackendsExtensionPoint.id, containerRuntimesExtensionPoint.id,
  aiPipelinesExtensionPoint.id,
  aiExecutorsExtensionPoint.id,
]);

/**
 * Everything that can be checked without starting anything: manifests, host
 * ranges, register steps, config slices, capability overrides and the graph.
 * `lpx config check` stops here.
 */
export async function preparePlugins(loaded: LoadedConfig, inline: readonly PluginDefinition[], warn?: (message: string) => void): Promise<PreparedPlugins> {
  const { config } = loaded;
  const plugins = await loadConfiguredPlugins(config, loaded.baseDir, inline, { configFile: loaded.file, warn });
  const byId = new Map<string, PreparedPlugin>();
  const registered: RegisteredPlugin[] = [];
  for (const plugin of plugins) {
    const id = plugin.definition.manifest.id;
    if (byId.has(id)) throw errors.plugin.DUPLICATE_ID.create(`two plugins have the id ${id} (${byId.get(id)!.source} and ${plugin.source})`);
    const registration = registerPlugin(plugin.definition);
    checkPluginPermissions(registration, config.plugins[id]?.grants);
    const slice = validatePluginConfig(id, plugin.definition.manifest.config, config.plugins[id]?.config);
    byId.set(id, { ...registration, source: plugin.source, config: slice, ...(plugin.release ? { release: plugin.release } : {}) });
    registered.push(registration);
  }
  const declared = new Set([...byId.values()].flatMap((p) => (p.definition.manifest.capabilities ?? []).map((c) => c.id)));
  for (const capabilityId of Object.keys(config.capabilities)) {
    if (!declared.has(capabilityId)) {
      throw errors.config.UNKNOWN_KEY.create(`unknown key "capabilities.${capabilityId}": no configured plugin declares capability ${capabilityId}`);
    }
  }
  const serviceCandidates = await registryServiceCandidates(loaded, registered);
  const graph = buildPluginGraph(registered, { services: KERNEL_SERVICE_IDS, extensionPoints: KERNEL_EXTENSION_POINT_IDS, serviceCandidates });
  return { byId, graph };
}

/**
 * For a required service no configured plugin provides, which plugins in the
 * local registry would: the error then tells the operator what to configure.
 * Only a hint, so an unreadable registry just yields none.
 */
async function registryServiceCandidates(loaded: LoadedConfig, registered: readonly RegisteredPlugin[]): Promise<Map<string, string[]>> {
  const candidates = new Map<string, string[]>();
  const provided = new Set(registered.flatMap((p) => [...p.services.keys()]));
  const missing = new Set(registered.flatMap((p) => p.definition.manifest.requires?.services ?? []).filter((id) => !KERNEL_SERVICE_IDS.has(id) && !provided.has(id)));
  if (missing.size === 0 || !loaded.config.registry.dir) return candidates;
  const entries = await listRegistry(resolve(loaded.baseDir, loaded.config.registry.dir)).catch(() => []);
  for (const entry of entries) {
    for (const id of entry.manifest.provides?.services ?? []) {
      if (!missing.has(id)) continue;
      const list = candidates.get(id) ?? [];
      if (!list.includes(entry.id)) list.push(entry.id);
      candidates.set(id, list);
    }
  }
  return candidates;
}
