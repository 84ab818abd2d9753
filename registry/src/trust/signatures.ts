import { errors } from '@lpx/sdk';
import type { RegistryEntry } from '../local-registry/layout.js';
import { readJsonFile, writeJsonAtomic } from './atomic-json.js';
import { canonicalBytes } from './canonical-json.js';
import type { KeyId, PrivateKeyRecord, ReleaseSignature, ReleaseStatement } from './contract.js';
import { releaseStatementFor } from './release-statement.js';
import { signBytes, verifyBytes } from './sign-bytes.js';
import { addPublisherKey } from './publishers.js';
import { registryRootOf, signaturesPath, subjectOf } from './trust-layout.js';

type Entry = Pick<RegistryEntry, 'id' | 'version' | 'integrity' | 'manifest' | 'dir'>;

export interface SignatureCheck {
  readonly statement: ReleaseStatement;
  /** Signatures that verify over this release's statement. */
  readonly valid: readonly ReleaseSignature[];
  /** Signatures that do not: tampering, or a signature copied from another release. */
  readonly invalid: readonly { readonly keyId: KeyId; readonly reason: string }[];
}

function isSignature(value: unknown): value is ReleaseSignature {
  const s = value as Partial<ReleaseSignature> | null;
  return typeof s === 'object' && s !== null && ['keyId', 'algorithm', 'publicKey', 'signature'].every((k) => typeof (s as Record<string, unknown>)[k] === 'string');
}

/** `<entry>/signatures.json`; absent = unsigned (an empty list). */
export async function readSignatures(entry: Pick<RegistryEntry, 'id' | 'version' | 'dir'>): Promise<ReleaseSignature[]> {
  const path = signaturesPath(entry);
  const invalid = (message: string, cause?: unknown) => errors.registry.SIGNATURE_INVALID.create(`${subjectOf(entry)}: ${message}`, cause === undefined ? {} : { cause });
  const parsed = await readJsonFile(path, [], invalid);
  if (!Array.isArray(parsed) || !parsed.every(isSignature)) throw invalid(`${path} must be an array of signatures {keyId, algorithm, publicKey, signature, signedAt}`);
  return parsed;
}

/**
 * The key's signature over a release's statement, recorded nowhere: what a
 * partner sends with a publish to an HTTP registry (`lpx plugin publish --key`),
 * where the release is not in a folder of theirs yet.
 */
export function releaseSignature(release: Pick<RegistryEntry, 'id' | 'version' | 'integrity' | 'manifest'>, key: PrivateKeyRecord): ReleaseSignature {
  return {
    keyId: key.keyId,
    algorithm: key.algorithm,
    publicKey: key.publicKey,
    signature: signBytes(key, canonicalBytes(releaseStatementFor(release))),
    signedAt: new Date().toISOString(),
  };
}

/**
 * Signs the release with `key` and records it in signatures.json. Signing
 * again with the same key is a no-op when its signature still verifies, and
 * replaces it when it does not (a re-signed entry). The signer's public key
 * is recorded under `<root>/publishers/` so tools can name it.
 */
export async function signRelease(entry: Entry, key: PrivateKeyRecord): Promise<ReleaseSignature> {
  const statement = canonicalBytes(releaseStatementFor(entry));
  const existing = await readSignatures(entry);
  const mine = existing.find((s) => s.keyId === key.keyId);
  if (mine && verifyBytes(mine, statement, mine.signature)) return mine;
  const signature = releaseSignature(entry, key);
  await writeJsonAtomic(signaturesPath(entry), [...existing.filter((s) => s.keyId !== key.keyId), signature]);
  await addPublisherKey(registryRootOf(entry), key);
  return signature;
}

/**
 * Refuses (SIGNATURE_INVALID) signatures that do not verify over this release.
 * What a registry checks before it adds one to signatures.json: a node refuses
 * a release carrying any bad signature (tampering), so a registry that stored
 * one unchecked would let anyone with a publish token make any release
 * uninstallable for every node, with no way back (the file is append-only).
 */
export function assertSignaturesVerify(release: Pick<RegistryEntry, 'id' | 'version' | 'integrity' | 'manifest'>, signatures: readonly ReleaseSignature[]): void {
  const bytes = canonicalBytes(releaseStatementFor(release));
  const bad = signatures.filter((s) => !verifyBytes(s, bytes, s.signature)).map((s) => s.keyId);
  if (bad.length === 0) return;
  throw errors.registry.SIGNATURE_INVALID.create(
    `${subjectOf(release)}: the signature by ${bad.join(', ')} does not verify over this release (its tarball integrity, manifest and image digests), or its keyId is not the id of its publicKey; sign this very release`,
    { details: { id: release.id, version: release.version, invalid: bad } },
  );
}

/** Checks every signature on the release against the statement its files make now. */
export async function verifyReleaseSignatures(entry: Entry): Promise<SignatureCheck> {
  const statement = releaseStatementFor(entry);
  const bytes = canonicalBytes(statement);
  const valid: ReleaseSignature[] = [];
  const invalid: { keyId: KeyId; reason: string }[] = [];
  for (const signature of await readSignatures(entry)) {
    if (verifyBytes(signature, bytes, signature.signature)) valid.push(signature);
    else invalid.push({ keyId: signature.keyId, reason: 'the signature does not verify over this release\'s tarball integrity, manifest and image digests' });
  }
  return { statement, valid, invalid };
}
