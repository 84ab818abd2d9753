import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '@lpx/sdk';
import { isNodeError } from '../local-registry/layout.js';
import { readJsonFile, writeJsonAtomic } from './atomic-json.js';
import type { KeyId, PublicKeyRecord } from './contract.js';
import { checkPublicKeyRecord, publicKeyOf } from './keys.js';
import { TRUST_FILES } from './trust-layout.js';

/**
 * `eth:0xab…` → `eth-0xab….json`: key ids hold a `:`, which some file systems
 * refuse. An id that could leave the folder or hide as a dot file (one read
 * from a registry over the network) is refused (KEY_INVALID), not cleaned.
 */
export function publisherFileName(keyId: KeyId): string {
  const name = keyId.replace(/:/g, '-');
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/.test(name)) throw errors.registry.KEY_INVALID.create(`key id ${JSON.stringify(keyId)} is not a safe file name`);
  return `${name}.json`;
}

/** Records a public key the registry has seen sign or review (for names in `lpx plugin verify`, and for mirrors). */
export async function addPublisherKey(root: string, key: PublicKeyRecord): Promise<void> {
  const dir = join(root, TRUST_FILES.publishers);
  await mkdir(dir, { recursive: true });
  await writeJsonAtomic(join(dir, publisherFileName(key.keyId)), publicKeyOf(key));
}

/** Every key in `<root>/publishers/`, checked (a record whose id is not its key's is refused). */
export async function listPublisherKeys(root: string): Promise<PublicKeyRecord[]> {
  const dir = join(root, TRUST_FILES.publishers);
  const names = await readdir(dir).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return [] as string[];
    throw error;
  });
  const keys: PublicKeyRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const path = join(dir, name);
    keys.push(checkPublicKeyRecord(await readJsonFile(path, undefined, (message, cause) => errors.registry.KEY_INVALID.create(message, { cause })), path));
  }
  return keys;
}
