import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { errors } from '@lpx/sdk';
import type { KeyAlgorithm, KeyId, PrivateKeyRecord, PublicKeyRecord } from './contract.js';

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ed25519', 'secp256k1'];

function keyInvalid(message: string, cause?: unknown): Error {
  return errors.registry.KEY_INVALID.create(message, cause === undefined ? {} : { cause });
}

export function hexBytes(hex: string, what: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})+$/.test(hex)) throw keyInvalid(`${what} must be 0x-prefixed hex, got ${JSON.stringify(hex.slice(0, 20))}`);
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

/** The Ethereum address of a secp256k1 public key (33 or 65 bytes): the last 20 bytes of keccak256 of the uncompressed point. */
export function ethAddress(publicKey: Uint8Array): string {
  const uncompressed = secp256k1.ProjectivePoint.fromHex(publicKey).toRawBytes(false);
  return toHex(keccak_256(uncompressed.subarray(1)).subarray(12));
}

export function ed25519PublicKeyObject(publicKeyBase64: string): KeyObject {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  if (raw.length !== 32) throw keyInvalid(`an ed25519 public key is 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/**
 * The id a public key is known by (see the contract): a hash for ed25519, the
 * Ethereum address for secp256k1, so a Livepeer operator recognises the
 * account that published.
 */
export function keyIdFor(algorithm: KeyAlgorithm, publicKey: string): KeyId {
  try {
    if (algorithm === 'ed25519') {
      ed25519PublicKeyObject(publicKey);
      const digest = createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest();
      return `ed25519:${digest.subarray(0, 20).toString('base64url')}`;
    }
    if (algorithm === 'secp256k1') return `eth:${ethAddress(hexBytes(publicKey, 'a secp256k1 public key'))}`;
  } catch (error) {
    if (errors.registry.KEY_INVALID.is(error)) throw error;
    throw keyInvalid(`not a valid ${algorithm} public key: ${(error as Error).message}`, error);
  }
  throw keyInvalid(`unknown key algorithm ${JSON.stringify(algorithm)}; expected one of ${KEY_ALGORITHMS.join(', ')}`);
}

/** Key ids as compared: Ethereum addresses lowercased (configs may hold checksummed ones). */
export function normalizeKeyId(keyId: KeyId): KeyId {
  return keyId.startsWith('eth:') ? keyId.toLowerCase() : keyId;
}

/** Checks a public key record is well formed and its id is the one its key derives to. */
export function checkPublicKeyRecord(record: unknown, source: string): PublicKeyRecord {
  const r = record as Partial<PublicKeyRecord> | null;
  if (typeof r !== 'object' || r === null || typeof r.keyId !== 'string' || typeof r.publicKey !== 'string' || typeof r.algorithm !== 'string') {
    throw keyInvalid(`${source}: a key record needs string fields keyId, algorithm and publicKey`);
  }
  if (!KEY_ALGORITHMS.includes(r.algorithm)) throw keyInvalid(`${source}: unknown key algorithm ${JSON.stringify(r.algorithm)}; expected one of ${KEY_ALGORITHMS.join(', ')}`);
  const derived = keyIdFor(r.algorithm, r.publicKey);
  // Ethereum addresses may arrive checksummed (mixed case); ids are compared in the contract's lowercase form.
  const given = r.algorithm === 'secp256k1' ? r.keyId.toLowerCase() : r.keyId;
  if (derived !== given) {
    throw keyInvalid(`${source}: keyId ${r.keyId} is not the id of its public key (${derived})`);
  }
  return { keyId: derived, algorithm: r.algorithm, publicKey: r.publicKey, ...(r.name === undefined ? {} : { name: r.name }) };
}

/** The public half of a key record (what signatures and publisher files carry). */
export function publicKeyOf(record: PublicKeyRecord): PublicKeyRecord {
  return { keyId: record.keyId, algorithm: record.algorithm, publicKey: record.publicKey, ...(record.name === undefined ? {} : { name: record.name }) };
}

/** Checks a private key record: well formed, and its private key really is the one behind its public key. */
export function checkPrivateKeyRecord(record: unknown, source: string): PrivateKeyRecord {
  const pub = checkPublicKeyRecord(record, source);
  const privateKey = (record as { privateKey?: unknown }).privateKey;
  if (typeof privateKey !== 'string') throw keyInvalid(`${source}: a private key file needs a privateKey field (is this a public key?)`);
  let derivedPublic: string;
  try {
    derivedPublic = pub.algorithm === 'ed25519' ? ed25519PublicFromPrivate(privateKey) : toHex(secp256k1.getPublicKey(hexBytes(privateKey, 'a secp256k1 secret'), true));
  } catch (error) {
    if (errors.registry.KEY_INVALID.is(error)) throw error;
    throw keyInvalid(`${source}: unreadable ${pub.algorithm} private key: ${(error as Error).message}`, error);
  }
  if (keyIdFor(pub.algorithm, derivedPublic) !== pub.keyId) throw keyInvalid(`${source}: the private key does not belong to ${pub.keyId}`);
  return { ...pub, privateKey };
}

function ed25519PublicFromPrivate(pkcs8Base64: string): string {
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw keyInvalid(`expected an ed25519 PKCS#8 key, got ${privateKey.asymmetricKeyType}`);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url').toString('base64');
}

/** A new publisher or reviewer key. */
export function generateKey(algorithm: KeyAlgorithm, name?: string): PrivateKeyRecord {
  const named = name === undefined ? {} : { name };
  if (algorithm === 'ed25519') {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const publicKey = ed25519PublicFromPrivate(pkcs8);
    return { keyId: keyIdFor('ed25519', publicKey), algorithm, publicKey, ...named, privateKey: pkcs8 };
  }
  if (algorithm === 'secp256k1') {
    const secret = secp256k1.utils.randomPrivateKey();
    const publicKey = toHex(secp256k1.getPublicKey(secret, true));
    return { keyId: keyIdFor('secp256k1', publicKey), algorithm, publicKey, ...named, privateKey: toHex(secret) };
  }
  throw keyInvalid(`unknown key algorithm ${JSON.stringify(algorithm)}; expected one of ${KEY_ALGORITHMS.join(', ')}`);
}
