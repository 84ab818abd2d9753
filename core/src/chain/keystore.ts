import { createCipheriv, createDecipheriv, pbkdf2, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { chainErrors } from './chain-errors.js';

// Web3 Secret Storage (version 3) JSON keystores, as written by geth,
// go-livepeer's -ethKeystorePath, ethers and MetaMask exports. Only the
// combinations those tools write are accepted: scrypt or pbkdf2-hmac-sha256
// key derivation, aes-128-ctr encryption, keccak256 MAC.

const scryptAsync = promisify(scrypt) as (password: Buffer, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);

interface ScryptParams { dklen: number; salt: string; n: number; r: number; p: number }
interface Pbkdf2Params { dklen: number; salt: string; c: number; prf: string }

export interface KeystoreV3 {
  version: 3;
  id?: string;
  address?: string;
  crypto: {
    cipher: string;
    ciphertext: string;
    cipherparams: { iv: string };
    kdf: string;
    kdfparams: ScryptParams | Pbkdf2Params;
    mac: string;
  };
}

const invalid = (why: string) => chainErrors.KEYSTORE_INVALID.create(`keystore: ${why}`);
const unhex = (value: string): Buffer => Buffer.from(hexToBytes((value.startsWith('0x') ? value : `0x${value}`) as Hex));

async function deriveKey(password: string, kdf: string, params: ScryptParams | Pbkdf2Params): Promise<Buffer> {
  const secret = Buffer.from(password.normalize('NFKD'), 'utf8');
  if (kdf === 'scrypt') {
    const { n, r, p, dklen, salt } = params as ScryptParams;
    // Node's default 32 MiB cap is below geth's standard N = 2^18, r = 8.
    return scryptAsync(secret, unhex(salt), dklen, { N: n, r, p, maxmem: 256 * n * r * p });
  }
  if (kdf === 'pbkdf2') {
    const { c, dklen, salt, prf } = params as Pbkdf2Params;
    if (prf !== 'hmac-sha256') throw invalid(`unsupported pbkdf2 prf "${prf}"`);
    return pbkdf2Async(secret, unhex(salt), c, dklen, 'sha256');
  }
  throw invalid(`unsupported kdf "${kdf}"`);
}

function mac(derivedKey: Buffer, ciphertext: Buffer): Buffer {
  return unhex(keccak256(Buffer.concat([derivedKey.subarray(16, 32), ciphertext])));
}

/** Decrypts a v3 keystore (parsed JSON or its text) to the 0x private key. */
export async function decryptKeystore(keystore: string | KeystoreV3, password: string): Promise<Hex> {
  let parsed: KeystoreV3;
  try {
    parsed = typeof keystore === 'string' ? (JSON.parse(keystore) as KeystoreV3) : keystore;
  } catch (cause) {
    throw chainErrors.KEYSTORE_INVALID.create('keystore: not valid JSON', { cause });
  }
  // Some older writers capitalise the section name.
  const section = parsed.crypto ?? (parsed as unknown as { Crypto?: KeystoreV3['crypto'] }).Crypto;
  if (parsed.version !== 3 || section === undefined) throw invalid('not a version 3 keystore');
  if (section.cipher !== 'aes-128-ctr') throw invalid(`unsupported cipher "${section.cipher}"`);
  const derivedKey = await deriveKey(password, section.kdf, section.kdfparams);
  const ciphertext = unhex(section.ciphertext);
  const expected = unhex(section.mac);
  const actual = mac(derivedKey, ciphertext);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw chainErrors.KEYSTORE_PASSWORD.create('keystore: wrong password (MAC mismatch)');
  }
  const decipher = createDecipheriv('aes-128-ctr', derivedKey.subarray(0, 16), unhex(section.cipherparams.iv));
  const privateKey = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (privateKey.length !== 32) throw invalid('decrypted key is not 32 bytes');
  return bytesToHex(privateKey);
}

/** Writes a scrypt keystore; `n` defaults to geth's standard 2^18 (use less in tests). */
export async function encryptKeystore(privateKey: Hex, password: string, options: { n?: number } = {}): Promise<KeystoreV3> {
  const kdfparams: ScryptParams = { dklen: 32, salt: randomBytes(32).toString('hex'), n: options.n ?? 262144, r: 8, p: 1 };
  const derivedKey = await deriveKey(password, 'scrypt', kdfparams);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-ctr', derivedKey.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(unhex(privateKey)), cipher.final()]);
  return {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAddress(privateKey).slice(2).toLowerCase(),
    crypto: {
      cipher: 'aes-128-ctr',
      ciphertext: ciphertext.toString('hex'),
      cipherparams: { iv: iv.toString('hex') },
      kdf: 'scrypt',
      kdfparams,
      mac: mac(derivedKey, ciphertext).toString('hex'),
    },
  };
}
