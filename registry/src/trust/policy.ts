import { errors } from '@lpx/sdk';
import type { RegistryEntry } from '../local-registry/layout.js';
import type { KeyId, PublicKeyRecord, ReviewState, TrustPolicy, TrustVerdict } from './contract.js';
import { checkPublicKeyRecord, normalizeKeyId } from './keys.js';
import { readRevokedKeys } from './revoked-keys.js';
import { readReviews, reviewStatusOf } from './review.js';
import { verifyReleaseSignatures } from './signatures.js';
import { registryRootOf, subjectOf } from './trust-layout.js';

type Entry = Pick<RegistryEntry, 'id' | 'version' | 'integrity' | 'manifest' | 'dir'>;

export interface TrustResult extends TrustVerdict {
  /** Things an operator should know but that do not refuse the release (dev mode accepting an unsigned one). */
  readonly warnings: readonly string[];
}

export const DEFAULT_ACCEPTED_STATES: readonly ReviewState[] = ['approved'];

function keyIds(keys: readonly (KeyId | PublicKeyRecord)[], where: string): Set<KeyId> {
  return new Set(keys.map((key, index) => (typeof key === 'string' ? normalizeKeyId(key) : checkPublicKeyRecord(key, `${where}[${index}]`).keyId)));
}

/** Dev mode: no policy at all, or one that names no publishers and does not require signatures. */
export function isDevMode(policy: TrustPolicy | undefined): boolean {
  return policy === undefined || (policy.publishers.length === 0 && policy.requireSignature === false);
}

/**
 * Decides whether a release may be installed under `policy` (ADR 0037).
 * Refusals, in the order they are checked: SIGNATURE_INVALID (a signature
 * that does not verify: tampering, refused even in dev mode), REVOKED (a
 * `revoked` review, or every trusted signature is by a revoked key),
 * UNTRUSTED (no signature by a trusted publisher while one is required),
 * NOT_APPROVED (review state not in `policy.states`).
 */
export async function evaluateTrust(entry: Entry, policy: TrustPolicy | undefined): Promise<TrustResult> {
  const subject = subjectOf(entry);
  const check = await verifyReleaseSignatures(entry);
  if (check.invalid.length > 0) {
    throw errors.registry.SIGNATURE_INVALID.create(
      `${subject}: signature by ${check.invalid.map((i) => i.keyId).join(', ')} does not verify over the release as it is now (package.tgz integrity, manifest.json and image digests); the entry was tampered with or mis-signed, nothing was installed`,
      { details: { id: entry.id, version: entry.version, invalid: check.invalid, statement: check.statement } },
    );
  }
  const revokedKeys = new Set((await readRevokedKeys(registryRootOf(entry))).map((k) => k.keyId));
  const dev = isDevMode(policy);
  const publishers = dev ? undefined : keyIds(policy!.publishers, 'registry.trust.publishers');
  const reviewers = dev ? 'any' : policy!.reviewers === undefined ? publishers! : keyIds(policy!.reviewers, 'registry.trust.reviewers');
  const review = reviewStatusOf(entry, await readReviews(entry), reviewers, revokedKeys);
  if (review.state === 'revoked') {
    throw errors.registry.REVOKED.create(`${subject} is revoked by ${review.record!.keyId}${review.record!.reason ? ` (${review.record!.reason})` : ''}; it is not installed`, {
      details: { id: entry.id, version: entry.version, by: review.record!.keyId, reason: review.record!.reason, at: review.record!.at },
    });
  }

  const accepted = check.valid.filter((s) => publishers === undefined || publishers.has(s.keyId));
  const live = accepted.filter((s) => !revokedKeys.has(s.keyId));
  if (accepted.length > 0 && live.length === 0) {
    const ids = accepted.map((s) => s.keyId);
    throw errors.registry.REVOKED.create(`${subject} is signed only by revoked key(s) ${ids.join(', ')}; it is not installed`, {
      details: { id: entry.id, version: entry.version, revokedKeys: ids },
    });
  }
  const signedBy = live.map((s) => s.keyId);
  const warnings: string[] = [];
  if (dev) {
    if (signedBy.length === 0) warnings.push(`${subject} is unsigned; accepted because registry.trust is not configured (dev mode)`);
    return { state: review.state, signedBy, warnings };
  }

  const requireSignature = policy!.requireSignature ?? true;
  if (signedBy.length === 0) {
    const found = check.valid.map((s) => s.keyId);
    if (requireSignature) {
      throw errors.registry.UNTRUSTED.create(
        found.length === 0
          ? `${subject} is unsigned and registry.trust requires a signature by one of: ${[...publishers!].join(', ') || '(no publishers listed)'}`
          : `${subject} is signed by ${found.join(', ')}, none of which registry.trust.publishers accepts (${[...publishers!].join(', ') || 'none listed'})`,
        { details: { id: entry.id, version: entry.version, signedBy: found, publishers: [...publishers!] } },
      );
    }
    warnings.push(`${subject} has no signature by a trusted publisher; accepted because registry.trust.requireSignature is false`);
  }
  const states = policy!.states ?? DEFAULT_ACCEPTED_STATES;
  if (!states.includes(review.state)) {
    throw errors.registry.NOT_APPROVED.create(`${subject} is ${review.state}${review.record?.reason ? ` (${review.record.reason})` : ''}; registry.trust.states accepts ${states.join(', ')}`, {
      details: { id: entry.id, version: entry.version, state: review.state, accepted: states },
    });
  }
  return { state: review.state, signedBy, warnings };
}
