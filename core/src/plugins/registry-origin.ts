import { join, resolve } from 'node:path';
import { errors } from '@lpx/sdk';
import type { PluginRequest } from '@lpx/registry';
import type { KernelConfig } from '../config/kernel-schema.js';
import { mirrorHttpRegistry } from './registry-mirror.js';

/**
 * Brings an HTTP registry's releases for `requests` (with their signatures,
 * reviews and the registry's revoked keys) into `mirrorDir`, a plain registry
 * folder the trust checks then read exactly like a local one. Implemented by
 * the HTTP registry client (ADR 0038).
 */
export type RegistryMirror = (url: string, mirrorDir: string, requests: readonly PluginRequest[]) => Promise<void>;

let mirror: RegistryMirror | undefined = mirrorHttpRegistry;

/** Replaces the HTTP registry client (tests); `undefined` takes it away. */
export function provideRegistryMirror(fn: RegistryMirror | undefined): void {
  mirror = fn;
}

export interface RegistrySource {
  /** The registry folder to resolve from (the local one, or the mirror of `registry.url`). */
  readonly root: string;
  /** What the lockfile records as the origin. */
  readonly source: string;
  /** Re-fetches the mirror before a revocation check; absent for a local folder. */
  readonly refresh?: () => Promise<void>;
}

/**
 * Where registry plugins come from. `registry.url` is mirrored into
 * `<dataDir>/registry-mirror` so signatures and reviews are verified from
 * files, the same way for both kinds of registry (ADR 0037, ADR 0038);
 * `refresh` re-runs the mirror for the revocation watch.
 */
export async function registryOrigin(config: KernelConfig, baseDir: string, requests: readonly PluginRequest[], firstId: string): Promise<RegistrySource> {
  const { dir, url } = config.registry;
  if (url !== undefined && dir !== undefined) {
    throw errors.config.INVALID.create('registry: set either registry.dir (a local folder) or registry.url (an HTTP registry), not both');
  }
  if (url === undefined) {
    if (!dir) throw errors.config.INVALID.create(`plugins.${firstId}.version: a version needs registry.dir (the local plugin registry folder) or registry.url`);
    const root = resolve(baseDir, dir);
    return { root, source: root };
  }
  const fetchInto = mirror;
  if (fetchInto === undefined) {
    throw errors.config.INVALID.create(`registry.url (${url}) is set but this build has no HTTP registry client to mirror it; use registry.dir with a local registry folder`);
  }
  // join, not resolve: a relative data dir is relative to the config's folder, not the working directory.
  const root = resolve(baseDir, join(config.node.dataDir, 'registry-mirror'));
  const refresh = () => fetchInto(url, root, requests);
  await refresh();
  return { root, source: url, refresh };
}
