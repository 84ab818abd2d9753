import { resolve } from 'node:path';
import { errors } from '@lpx/sdk';
import { mirrorForNode, type PluginRequest } from '@lpx/registry';
import type { KernelConfig } from '../config/kernel-schema.js';

/** Where a node keeps what it mirrored from `registry.url`, relative to its data dir. */
export const REGISTRY_MIRROR_DIR = 'registry-mirror';

/** Where verified registry plugins are extracted and imported from. */
export function pluginInstallDir(config: KernelConfig, baseDir: string): string {
  return resolve(baseDir, config.node.dataDir, 'plugins-installed');
}

/** `registry.url`, else `registry.dir`, as the operator wrote it; undefined when neither is set. */
export function configuredRegistry(config: KernelConfig): string | undefined {
  return config.registry.url ?? config.registry.dir;
}

/**
 * The registry folder to resolve `requests` from. With `registry.url` the
 * requested plugins (and the registry's keys) are first mirrored into
 * `<dataDir>/registry-mirror`, checked on the way in, so trust and install
 * read a local folder either way. Fails closed: an unreachable registry stops
 * the boot rather than silently using an older mirror (see ADR 0038).
 */
export async function registryRootFor(config: KernelConfig, baseDir: string, requests: readonly PluginRequest[], subject: string): Promise<string> {
  const { url, dir } = config.registry;
  if (url !== undefined && dir !== undefined) {
    throw errors.config.INVALID.create('registry: set either registry.dir (a local folder) or registry.url (an HTTP registry), not both');
  }
  if (url !== undefined) {
    const mirrorDir = resolve(baseDir, config.node.dataDir, REGISTRY_MIRROR_DIR);
    await mirrorForNode(url, requests, mirrorDir);
    return mirrorDir;
  }
  if (dir === undefined) {
    throw errors.config.INVALID.create(`${subject}: a version needs registry.dir (a local plugin registry folder) or registry.url (an HTTP registry)`);
  }
  return resolve(baseDir, dir);
}
