import { createPrivateKey, sign, verify } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import type { PrivateKeyRecord, PublicKeyRecord } from './contract.js';
import { ed25519PublicKeyObject, ethAddress, hexBytes, keyIdFor, toHex } from './keys.js';

/**
 * EIP-191 version 0x45 ("personal_sign"): what an Ethereum wallet signs for
 * a message, so the same statement can be signed by a hardware wallet or
 * `cast wallet sign` as well as by `lpx plugin sign`.
 */
export function personalMessageHash(message: Uint8Array): Uint8Array {
  const prefix = Buffer.from(`\x19Ethereum Signed Message:\n${message.length}`, 'utf8');
  return keccak_256(Buffer.concat([prefix, message]));
}

/** ed25519: base64 signature of the bytes; secp256k1: 0x r‖s‖v (v = 27 + recovery) over the EIP-191 hash. */
export function signBytes(key: PrivateKeyRecord, message: Uint8Array): string {
  if (key.algorithm === 'ed25519') {
    const privateKey = createPrivateKey({ key: Buffer.from(key.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
    return sign(null, message, privateKey).toString('base64');
  }
  const signature = secp256k1.sign(personalMessageHash(message), hexBytes(key.privateKey, 'a secp256k1 secret'), { lowS: true });
  return toHex(Uint8Array.from([...signature.toCompactRawBytes(), 27 + signature.recovery]));
}

/**
 * Whether `signature` is `signer`'s over `message`, and `signer.keyId` is the
 * id of `signer.publicKey`. Never throws for bad input: a malformed signature
 * is simply not a valid one.
 */
export function verifyBytes(signer: PublicKeyRecord, message: Uint8Array, signature: string): boolean {
  try {
    const expectedId = keyIdFor(signer.algorithm, signer.publicKey);
    if (expectedId !== signer.keyId) return false;
    if (signer.algorithm === 'ed25519') return verify(null, message, ed25519PublicKeyObject(signer.publicKey), Buffer.from(signature, 'base64'));
    const bytes = hexBytes(signature, 'a secp256k1 signature');
    if (bytes.length !== 65) return false;
    const v = bytes[64]!;
    const recovery = v >= 27 ? v - 27 : v;
    if (recovery !== 0 && recovery !== 1) return false;
    const recovered = secp256k1.Signature.fromCompact(bytes.subarray(0, 64)).addRecoveryBit(recovery).recoverPublicKey(personalMessageHash(message));
    return `eth:${ethAddress(recovered.toRawBytes(false))}` === expectedId;
  } catch {
    return false;
  }
}
