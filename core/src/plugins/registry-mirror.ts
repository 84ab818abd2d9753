import { mirrorForNode, type PluginRequest } from '@lpx/registry';

/**
 * The HTTP registry client as the `RegistryMirror` the registry source calls
 * (ADR 0038): mirrors the requested releases, their signatures and reviews,
 * and the registry's publisher and revoked keys into `mirrorDir`, checking
 * every tarball against its integrity before keeping it.
 */
export async function mirrorHttpRegistry(url: string, mirrorDir: string, requests: readonly PluginRequest[]): Promise<void> {
  await mirrorForNode(url, requests, mirrorDir);
}
