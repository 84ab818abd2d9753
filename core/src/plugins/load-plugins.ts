import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { errors, isPluginDefinition, type PluginDefinition } from '@lpx/sdk';
import { checkHostCompatibility, LOCKFILE_NAME, resolvePluginsForNode, validateManifest, type RegistryEntry, type TrustPolicy, type TrustVerdict } from '@lpx/registry';
import type { KernelConfig } from '../config/kernel-schema.js';
import { registryOrigin, type RegistrySource } from './registry-origin.js';
import { importPluginModule } from './import-plugin-module.js';
import { sdkPackageDir } from './sdk-dir.js';

/** A plugin installed from the registry: what the revocation watch re-checks while the node runs. */
export interface RegistryRelease {
  readonly entry: RegistryEntry;
  readonly trust: TrustVerdict;
  readonly registry: RegistrySource;
}

export interface LoadedPlugin {
  readonly definition: PluginDefinition;
  /** Where it came from, for `lpx plugins list`. */
  readonly source: string;
  /** Set for plugins resolved from the plugin registry. */
  readonly release?: RegistryRelease;
}

export interface LoadPluginsOptions {
  /** The config file, whose folder holds the default lockfile. */
  readonly configFile?: string;
  /** Non-fatal trust notes (an unsigned plugin accepted in dev mode). */
  readonly warn?: (message: string) => void;
}

/** `registry.trust` as the registry's TrustPolicy; undefined = dev mode. */
export function trustPolicyOf(config: KernelConfig): TrustPolicy | undefined {
  return config.registry.trust as TrustPolicy | undefined;
}

/** `registry.lockfile`, else `lpx-plugins.lock` next to the config file; none for a config that is not a file. */
export function lockfilePathOf(config: KernelConfig, baseDir: string, configFile: string | undefined): string | undefined {
  if (config.registry.lockfile !== undefined) return resolve(baseDir, config.registry.lockfile);
  return configFile === undefined ? undefined : join(dirname(configFile), LOCKFILE_NAME);
}

/**
 * Turns `plugins.<id>` config entries into plugin definitions: an explicit
 * module path/specifier, a version range from the local plugin registry
 * (integrity-checked before import), or the conventional package
 * `@lpx/plugin-<id>`. Every manifest is validated and host-checked here,
 * before any of the plugin's register code runs.
 */
export async function loadConfiguredPlugins(config: KernelConfig, baseDir: string, extra: readonly PluginDefinition[] = [], options: LoadPluginsOptions = {}): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = extra.map((definition) => ({ definition, source: 'inline' }));
  // An inline plugin is given as a value; its config entry (if any) only carries its settings.
  const inlineIds = new Set(extra.map((definition) => definition.manifest.id));
  const entries = Object.entries(config.plugins).filter(([id, entry]) => entry.enabled && !inlineIds.has(id));

  const fromRegistry = entries.filter(([, entry]) => entry.version !== undefined && entry.module === undefined);
  if (fromRegistry.length > 0) {
    const requests = fromRegistry.map(([id, entry]) => ({ id, version: entry.version! }));
    const registry = await registryOrigin(config, baseDir, requests, fromRegistry[0]![0]);
    const installDir = resolve(baseDir, config.node.dataDir, 'plugins-installed');
    const resolved = await resolvePluginsForNode(registry.root, requests, installDir, {
      trust: trustPolicyOf(config),
      lockfilePath: lockfilePathOf(config, baseDir, options.configFile),
      source: registry.source,
      warn: options.warn ?? ((message) => process.emitWarning(message, 'LpxPluginTrust')),
    });
    linkSdkInto(installDir);
    for (const item of resolved) {
      const definition = await importDefinition(item.manifest.id, item.entryUrl);
      // The registry verified item.manifest; the code must not claim anything else (more permissions, other capabilities).
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify(definition.manifest)), item.manifest)) {
        throw errors.plugin.MANIFEST_INVALID.create(`plugins.${item.manifest.id}: the manifest exported by its code differs from the verified plugin.manifest.json`);
      }
      loaded.push({ definition, source: `registry ${item.manifest.id}@${item.manifest.version}`, release: { entry: item.entry, trust: item.trust, registry } });
    }
  }

  for (const [id, entry] of entries) {
    if (entry.version !== undefined && entry.module === undefined) continue;
    const specifier = entry.module ?? `@lpx/plugin-${id}`;
    const target = specifier.startsWith('.') || isAbsolute(specifier) ? pathToFileURL(resolve(baseDir, specifier)).href : specifier;
    loaded.push({ definition: await importDefinition(id, target), source: specifier });
  }

  for (const [id, entry] of entries) {
    const plugin = loaded.find((p) => p.definition.manifest.id === id);
    if (!plugin) throw errors.plugin.NOT_FOUND.create(`plugins.${id}: the module ${entry.module ?? `@lpx/plugin-${id}`} exports a plugin with a different id`);
  }
  for (const plugin of loaded) {
    validateManifest(plugin.definition.manifest);
    checkHostCompatibility(plugin.definition.manifest);
  }
  return loaded;
}

/** Installed plugins import @lpx/sdk; make it resolvable wherever the data dir lives. */
export function linkSdkInto(installDir: string): void {
  const sdkRoot = sdkPackageDir();
  const link = join(installDir, 'node_modules', '@lpx', 'sdk');
  if (existsSync(link)) return;
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(sdkRoot, link, 'dir');
}

async function importDefinition(id: string, specifier: string): Promise<PluginDefinition> {
  let module: Record<string, unknown>;
  try {
    module = await importPluginModule(specifier);
  } catch (cause) {
    // Only "this very module is missing" is NOT_FOUND; a missing import inside the plugin is a load failure.
    // (Some loaders drop the error code, so the message is checked too.)
    const missingCode = ['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'].includes(String((cause as { code?: string }).code)) || /Cannot find (module|package)/.test(String((cause as Error).message));
    const notFound = missingCode && String((cause as Error).message).includes(specifier.startsWith('file:') ? fileURLToPath(specifier) : specifier);
    const code = notFound ? errors.plugin.NOT_FOUND : errors.plugin.LOAD_FAILED;
    throw code.create(`plugins.${id}: cannot import ${specifier}: ${(cause as Error).message}`, { cause });
  }
  const candidate = module.default ?? Object.values(module).find(isPluginDefinition);
  if (!isPluginDefinition(candidate)) {
    throw errors.plugin.LOAD_FAILED.create(`plugins.${id}: ${specifier} has no default export made with definePlugin()`);
  }
  return candidate;
}
