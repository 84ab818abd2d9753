import { join } from 'node:path';
import { errors } from '@lpx/sdk';
import { readJsonFile, writeJsonAtomic } from './atomic-json.js';
import type { KeyId } from './contract.js';
import { normalizeKeyId } from './keys.js';
import { TRUST_FILES } from './trust-layout.js';

export interface RevokedKey {
  readonly keyId: KeyId;
  readonly reason: string;
  readonly at: string;
}

/**
 * `<root>/revoked-keys.json`: keys the registry no longer honours (a leaked
 * publisher key). Unsigned on purpose: it can only take trust away, so
 * whoever can write the registry folder gains nothing by editing it.
 */
export async function readRevokedKeys(root: string): Promise<RevokedKey[]> {
  const path = join(root, TRUST_FILES.revokedKeys);
  const parsed = await readJsonFile(path, [], (message, cause) => errors.registry.ENTRY_INVALID.create(message, { cause }));
  if (!Array.isArray(parsed) || !parsed.every((k) => typeof (k as RevokedKey | null)?.keyId === 'string')) {
    throw errors.registry.ENTRY_INVALID.create(`${path} must be an array of {keyId, reason, at}`);
  }
  // Ids are compared in the contract's form: an Ethereum address written checksummed (as an explorer shows it)
  // must still revoke the lowercase id a signature carries, or the revocation would silently not apply.
  return (parsed as RevokedKey[]).map((k) => ({ ...k, keyId: normalizeKeyId(k.keyId) }));
}

/** Adds `keyId` to the registry's revoked keys (idempotent). */
export async function revokeKey(root: string, given: KeyId, reason: string): Promise<RevokedKey> {
  const keyId = normalizeKeyId(given);
  const existing = await readRevokedKeys(root);
  const found = existing.find((k) => k.keyId === keyId);
  if (found) return found;
  const record = { keyId, reason, at: new Date().toISOString() };
  await writeJsonAtomic(join(root, TRUST_FILES.revokedKeys), [...existing, record]);
  return record;
}
