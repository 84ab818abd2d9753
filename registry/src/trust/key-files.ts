import { readFile, writeFile } from 'node:fs/promises';
import { errors } from '@lpx/sdk';
import type { PrivateKeyRecord, PublicKeyRecord } from './contract.js';
import { checkPrivateKeyRecord, checkPublicKeyRecord } from './keys.js';
import { isNodeError } from '../local-registry/layout.js';

async function readKeyJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw errors.registry.KEY_INVALID.create(`cannot read key file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw errors.registry.KEY_INVALID.create(`key file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** A private key file, checked: its private key must be the one behind its public key and id. */
export async function readPrivateKeyFile(path: string): Promise<PrivateKeyRecord> {
  return checkPrivateKeyRecord(await readKeyJson(path), path);
}

/** A public key file (a private key file also reads as its public half). */
export async function readPublicKeyFile(path: string): Promise<PublicKeyRecord> {
  return checkPublicKeyRecord(await readKeyJson(path), path);
}

/**
 * Writes a private key readable by its owner only (0600). An existing file is
 * never overwritten: losing a publisher key means losing the ability to sign
 * updates operators trust.
 */
export async function writePrivateKeyFile(path: string, key: PrivateKeyRecord): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (isNodeError(error, 'EEXIST')) throw errors.registry.KEY_INVALID.create(`${path} already exists; refusing to overwrite a key file (choose another --out)`);
    throw errors.registry.KEY_INVALID.create(`cannot write key file ${path}: ${(error as Error).message}`, { cause: error });
  }
}
