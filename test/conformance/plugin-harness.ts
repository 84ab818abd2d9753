import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  discoveryStrategiesExtensionPoint,
  isPluginDefinition,
  selectionAlgorithmsExtensionPoint,
  type DependencyRef,
  type DiscoveryStrategy,
  type LifecycleHook,
  type PluginDefinition,
  type PluginInit,
  type PluginManifest,
  type SelectionAlgorithm,
} from '@lpx/sdk';
import { validatePluginConfig } from '../../core/src/config/load-config.js';

const pluginsDir = fileURLToPath(new URL('../../plugins/', import.meta.url));

export interface PluginPackage {
  readonly dir: string;
  readonly packageName: string;
  readonly manifest: PluginManifest;
}

/** Every plugin folder under plugins/ that consumes the given extension point, read from its manifest. */
export function pluginsRequiring(extensionPointId: string): PluginPackage[] {
  return readdirSync(pluginsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(pluginsDir, entry.name, 'plugin.manifest.json')))
    .map((entry) => ({
      dir: entry.name,
      packageName: (JSON.parse(readFileSync(join(pluginsDir, entry.name, 'package.json'), 'utf8')) as { name: string }).name,
      manifest: JSON.parse(readFileSync(join(pluginsDir, entry.name, 'plugin.manifest.json'), 'utf8')) as PluginManifest,
    }))
    .filter((plugin) => plugin.manifest.requires?.extensionPoints?.includes(extensionPointId))
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

export async function loadPluginDefinition(plugin: PluginPackage): Promise<PluginDefinition> {
  const module = (await import(plugin.packageName)) as { default?: unknown };
  if (!isPluginDefinition(module.default)) throw new Error(`${plugin.packageName} has no default-exported definePlugin(...)`);
  return module.default;
}

export interface InstantiatedPlugin {
  readonly strategies: DiscoveryStrategy[];
  readonly algorithms: SelectionAlgorithm[];
  stop(): Promise<void>;
}

const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silentLogger };

/**
 * Runs a plugin's register → init → start with the kernel's two routing
 * extension points and stand-ins for the few services such a plugin may use,
 * and hands back what it contributed. The config slice goes through the
 * kernel's own validator, so schema defaults apply as on a real node.
 */
export async function instantiatePlugin(definition: PluginDefinition, rawConfig: Record<string, unknown> = {}): Promise<InstantiatedPlugin> {
  const { id } = definition.manifest;
  const config = validatePluginConfig(id, definition.manifest.config, rawConfig);
  const strategies: DiscoveryStrategy[] = [];
  const algorithms: SelectionAlgorithm[] = [];
  const startHooks: LifecycleHook[] = [];
  const stopHooks: LifecycleHook[] = [];
  const shutdown = new AbortController();
  const provided: Record<string, unknown> = {
    [discoveryStrategiesExtensionPoint.id]: { addStrategy: (s: DiscoveryStrategy) => void strategies.push(s) },
    [selectionAlgorithmsExtensionPoint.id]: { addAlgorithm: (a: SelectionAlgorithm) => void algorithms.push(a) },
    'core.config': { get: () => structuredClone(config), dataDir: '/nonexistent', roles: ['gateway'] },
    'core.logger': silentLogger,
    'core.lifecycle': { onStart: (h: LifecycleHook) => void startHooks.push(h), onShutdown: (h: LifecycleHook) => void stopHooks.push(h), signal: shutdown.signal },
  };
  const inits: PluginInit<Record<string, DependencyRef>>[] = [];
  definition.register({
    registerExtensionPoint: () => {
      throw new Error(`plugin ${id}: the conformance harness does not host extension points a plugin provides`);
    },
    registerInit: (init) => void inits.push(init as unknown as PluginInit<Record<string, DependencyRef>>),
    registerService: (ref) => {
      throw new Error(`plugin ${id}: the conformance harness does not host services a plugin provides (${ref.id})`);
    },
  });
  for (const init of inits) {
    const deps: Record<string, unknown> = {};
    for (const [key, ref] of Object.entries(init.deps)) {
      if (!(ref.id in provided)) throw new Error(`plugin ${id} needs ${ref.id}; the conformance harness only stands in for ${Object.keys(provided).join(', ')}`);
      deps[key] = provided[ref.id];
    }
    await init.init(deps as never);
  }
  for (const hook of startHooks) await hook();
  return {
    strategies,
    algorithms,
    async stop() {
      shutdown.abort();
      for (const hook of stopHooks.reverse()) await hook();
    },
  };
}
