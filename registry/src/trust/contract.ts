/**
 * CONTRACT between the registry helpers (session 7): signing, review states,
 * trust policy, lockfile and dependency install (owned by the "registry-trust"
 * work) and the HTTP registry + `lpx plugin …` commands (owned by the
 * "registry-http" work). The owner of this file replaces the stubs with the
 * real implementation in files of its own and re-exports them here; the
 * signatures below are what the other side codes against.
 *
 * Layout of one release in a registry folder (local, or mirrored from HTTP):
 *   <root>/<id>/<version>/manifest.json       (existing)
 *   <root>/<id>/<version>/package.tgz          (existing)
 *   <root>/<id>/<version>/integrity            (existing, sha512 SRI of package.tgz)
 *   <root>/<id>/<version>/signatures.json      ReleaseSignature[]  (new; absent = unsigned)
 *   <root>/<id>/<version>/review.json          ReviewRecord[]      (new; absent = pending; newest last)
 *   <root>/publishers/<keyId-safe>.json        PublicKeyRecord     (new; keys the registry knows)
 *   <root>/revoked-keys.json                   { keyId, reason, at }[] (new)
 */

export type KeyAlgorithm = 'ed25519' | 'secp256k1';

/** `ed25519:<base64url of sha256(raw 32-byte public key), first 20 bytes>` or `eth:0x<40 hex, lowercase>`. */
export type KeyId = string;

export interface PublicKeyRecord {
  readonly keyId: KeyId;
  readonly algorithm: KeyAlgorithm;
  /** ed25519: base64 of the raw 32-byte key; secp256k1: 0x-hex of the 33- or 65-byte key. */
  readonly publicKey: string;
  /** Who the key belongs to, for humans. */
  readonly name?: string;
}

/** A private key file (`lpx plugin keygen` writes it 0600). */
export interface PrivateKeyRecord extends PublicKeyRecord {
  /** ed25519: base64 of the PKCS#8 DER; secp256k1: 0x-hex of the 32-byte secret. */
  readonly privateKey: string;
}

/**
 * What a publisher signs: canonical JSON (keys sorted, no spaces) of this
 * object, UTF-8. ed25519 signs the bytes; secp256k1 signs them EIP-191
 * (personal_sign), so a Livepeer operator's Ethereum key can publish.
 */
export interface ReleaseStatement {
  readonly type: 'lpx-plugin-release/v1';
  readonly id: string;
  readonly version: string;
  /** sha512 SRI of package.tgz. */
  readonly integrity: string;
  /** sha512 SRI of the canonical JSON of the manifest. */
  readonly manifestIntegrity: string;
  /** Image digests the manifest pins (byoc.container), sorted by ref. */
  readonly images: readonly { readonly ref: string; readonly digest: string }[];
}

export interface ReleaseSignature {
  readonly keyId: KeyId;
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: string;
  /** base64 (ed25519) or 0x-hex 65-byte r‖s‖v (secp256k1). */
  readonly signature: string;
  /** ISO time, informative only (not signed). */
  readonly signedAt: string;
}

export type ReviewState = 'pending' | 'approved' | 'rejected' | 'revoked';

/** A reviewer's decision on one release; signed like a release, over canonical JSON of everything but `signature`. */
export interface ReviewRecord {
  readonly type: 'lpx-plugin-review/v1';
  readonly id: string;
  readonly version: string;
  readonly integrity: string;
  readonly state: ReviewState;
  readonly reason?: string;
  readonly at: string;
  readonly keyId: KeyId;
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: string;
  readonly signature: string;
}

/** `registry.trust` in the node config. */
export interface TrustPolicy {
  /** Key ids (or whole records) whose release signatures are accepted. Empty + requireSignature false = dev mode. */
  readonly publishers: readonly (KeyId | PublicKeyRecord)[];
  /** Key ids whose review records count; default: the publishers. */
  readonly reviewers?: readonly (KeyId | PublicKeyRecord)[];
  /** Review states a release may be in to be installed; default ['approved']. */
  readonly states?: readonly ReviewState[];
  /** Default true when `registry.trust` is given; false (unsigned accepted, with a warning) when it is absent. */
  readonly requireSignature?: boolean;
}

/** The verdict on one release; every refusal is a coded error (errors.registry.*). */
export interface TrustVerdict {
  readonly state: ReviewState;
  /** Key ids of the trusted signatures found. */
  readonly signedBy: readonly KeyId[];
}

/** `lpx-plugins.lock`, next to the node config. */
export interface PluginLockfile {
  readonly lockfileVersion: 1;
  readonly plugins: Readonly<Record<string, LockedPlugin>>;
}

export interface LockedPlugin {
  /** The range the config asked for when this was resolved. */
  readonly range: string;
  readonly version: string;
  readonly integrity: string;
  readonly manifestIntegrity: string;
  readonly images: readonly { readonly ref: string; readonly digest: string }[];
  readonly signedBy: readonly KeyId[];
  /** Registry folder or URL it was resolved from. */
  readonly source: string;
}

// The implementation (registry-trust, ADR 0037), re-exported so both sides import one module.
export { canonicalBytes, canonicalJson } from './canonical-json.js';
export { checkPrivateKeyRecord, checkPublicKeyRecord, generateKey, KEY_ALGORITHMS, keyIdFor, normalizeKeyId, publicKeyOf } from './keys.js';
export { readPrivateKeyFile, readPublicKeyFile, writePrivateKeyFile } from './key-files.js';
export { personalMessageHash, signBytes, verifyBytes } from './sign-bytes.js';
export { imagePins, manifestIntegrity, releaseStatementFor } from './release-statement.js';
export { assertSignaturesVerify, readSignatures, releaseSignature, signRelease, verifyReleaseSignatures, type SignatureCheck } from './signatures.js';
export { assertReviewAcceptable, readReviews, REVIEW_DECISIONS, REVIEW_STATES, reviewRelease, signReview, reviewStatusOf, reviewVerifies, type ReviewStatus } from './review.js';
export { readRevokedKeys, revokeKey, type RevokedKey } from './revoked-keys.js';
export { addPublisherKey, listPublisherKeys, publisherFileName } from './publishers.js';
export { DEFAULT_ACCEPTED_STATES, evaluateTrust, isDevMode, type TrustResult } from './policy.js';
export { verifyImageArchive, type ImageArchiveCheck } from './image-archive.js';
export { selectRelease, type SelectedRelease } from './select-release.js';
export { registryRootOf, TRUST_FILES } from './trust-layout.js';
export { LOCKFILE_NAME, readLockfile, sortedLockfile, validateLockfile, writeLockfile } from '../lockfile/lockfile.js';
export { checkAgainstLock, lockedPluginFor } from '../lockfile/locked-release.js';
export { HOST_SDK, installDependencies, needsDependencyInstall, PACKAGE_LOCK } from '../deps/dependencies.js';
export { describeRelease, type ReleaseReport, type Refusal } from './describe-release.js';
