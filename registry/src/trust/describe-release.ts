import { isLpxError } from '@lpx/sdk';
import { verifyEntry } from '../local-registry/install.js';
import type { RegistryEntry } from '../local-registry/layout.js';
import type { KeyId, ReviewState, TrustPolicy } from './contract.js';
import { verifyImageArchive, type ImageArchiveCheck } from './image-archive.js';
import { evaluateTrust } from './policy.js';
import { listPublisherKeys } from './publishers.js';
import { readRevokedKeys } from './revoked-keys.js';
import { readReviews, reviewStatusOf } from './review.js';
import { verifyReleaseSignatures } from './signatures.js';
import { registryRootOf, subjectOf } from './trust-layout.js';

export interface Refusal {
  readonly code: string;
  readonly message: string;
}

/** Everything `lpx plugin verify | info | list` shows about one release; nothing here throws for a bad release. */
export interface ReleaseReport {
  readonly id: string;
  readonly version: string;
  readonly integrity: string;
  readonly signatures: readonly { readonly keyId: KeyId; readonly name?: string; readonly valid: boolean; readonly revokedKey: boolean }[];
  /** Review state counting every validly signed review (the registry's view, not one operator's policy). */
  readonly state: ReviewState;
  readonly stateBy?: KeyId;
  readonly stateReason?: string;
  /** Tarball integrity, manifest match and the image archive, when `deep`. */
  readonly content?: { readonly ok: true; readonly image?: ImageArchiveCheck } | { readonly ok: false; readonly refusal: Refusal };
  /** The policy's verdict (dev mode without one). */
  readonly verdict: { readonly ok: true; readonly signedBy: readonly KeyId[] } | { readonly ok: false; readonly refusal: Refusal };
}

function refusalOf(error: unknown): Refusal {
  return { code: isLpxError(error) ? error.code : 'LPX_ERR_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/**
 * A report on one release: who signed it (valid or not, revoked keys
 * marked), its review state, optionally its content (tarball integrity and
 * image digest, which reads the whole tarball), and what `policy` decides.
 */
export async function describeRelease(entry: RegistryEntry, policy: TrustPolicy | undefined, deep: boolean): Promise<ReleaseReport> {
  const root = registryRootOf(entry);
  const names = new Map((await listPublisherKeys(root).catch(() => [])).map((k) => [k.keyId, k.name]));
  const revoked = new Set((await readRevokedKeys(root).catch(() => [])).map((k) => k.keyId));
  const check = await verifyReleaseSignatures(entry).catch(() => undefined);
  const signatures = [
    ...(check?.valid ?? []).map((s) => ({ keyId: s.keyId, valid: true })),
    ...(check?.invalid ?? []).map((s) => ({ keyId: s.keyId, valid: false })),
  ].map((s) => ({ ...s, ...(names.get(s.keyId) ? { name: names.get(s.keyId)! } : {}), revokedKey: revoked.has(s.keyId) }));
  const review = reviewStatusOf(entry, await readReviews(entry).catch(() => []), 'any', revoked);
  let content: ReleaseReport['content'];
  if (deep) {
    try {
      const verified = await verifyEntry(entry);
      const image = verifyImageArchive(verified.pkg, subjectOf(entry));
      content = image === undefined ? { ok: true } : { ok: true, image };
    } catch (error) {
      content = { ok: false, refusal: refusalOf(error) };
    }
  }
  let verdict: ReleaseReport['verdict'];
  try {
    verdict = { ok: true, signedBy: (await evaluateTrust(entry, policy)).signedBy };
  } catch (error) {
    verdict = { ok: false, refusal: refusalOf(error) };
  }
  return {
    id: entry.id,
    version: entry.version,
    integrity: entry.integrity,
    signatures,
    state: review.state,
    ...(review.record ? { stateBy: review.record.keyId } : {}),
    ...(review.record?.reason ? { stateReason: review.record.reason } : {}),
    ...(content ? { content } : {}),
    verdict,
  };
}
