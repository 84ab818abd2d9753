import { dirname, join } from 'node:path';
import type { RegistryEntry } from '../local-registry/layout.js';

/** The trust files of one release and of a registry folder (see contract.ts for the whole layout). */
export const TRUST_FILES = {
  signatures: 'signatures.json',
  review: 'review.json',
  publishers: 'publishers',
  revokedKeys: 'revoked-keys.json',
} as const;

/** `<root>` of an entry at `<root>/<id>/<version>`. */
export function registryRootOf(entry: Pick<RegistryEntry, 'dir'>): string {
  return dirname(dirname(entry.dir));
}

export function signaturesPath(entry: Pick<RegistryEntry, 'dir'>): string {
  return join(entry.dir, TRUST_FILES.signatures);
}

export function reviewPath(entry: Pick<RegistryEntry, 'dir'>): string {
  return join(entry.dir, TRUST_FILES.review);
}

export function subjectOf(entry: Pick<RegistryEntry, 'id' | 'version'>): string {
  return `plugin "${entry.id}"@${entry.version}`;
}
