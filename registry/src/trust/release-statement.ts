import type { PluginManifest } from '@lpx/sdk';
import type { RegistryEntry } from '../local-registry/layout.js';
import { sha512Integrity } from '../verify/integrity.js';
import { canonicalBytes } from './canonical-json.js';
import type { ReleaseStatement } from './contract.js';

export type ImagePin = ReleaseStatement['images'][number];

/** sha512 SRI of the manifest's canonical JSON: independent of how manifest.json happens to be formatted. */
export function manifestIntegrity(manifest: PluginManifest): string {
  return sha512Integrity(canonicalBytes(manifest));
}

/** The container images a manifest pins (`byoc.container`), sorted by ref. */
export function imagePins(manifest: PluginManifest): ImagePin[] {
  const container = manifest.byoc?.container;
  const pins = container ? [{ ref: container.image, digest: container.digest }] : [];
  return pins.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/**
 * What a release signature covers. It binds the tarball (integrity), the
 * manifest (manifestIntegrity) and the images the manifest pins, so changing
 * any of package.tgz + integrity, manifest.json, or a pinned digest turns
 * every existing signature invalid.
 */
export function releaseStatementFor(entry: Pick<RegistryEntry, 'id' | 'version' | 'integrity' | 'manifest'>): ReleaseStatement {
  return {
    type: 'lpx-plugin-release/v1',
    id: entry.id,
    version: entry.version,
    integrity: entry.integrity,
    manifestIntegrity: manifestIntegrity(entry.manifest),
    images: imagePins(entry.manifest),
  };
}
