/**
 * Ethereum-style 65-byte signatures (R ‖ S ‖ V, V = 27/28) over EIP-191 digests,
 * with the same shape rules go-livepeer applies before recovering: exact length,
 * low S, V in {27, 28}.
 */
import type { Address } from '../encoding/address.js';
import { bytesEqual, fromHex } from '../encoding/bytes.js';
import { personalMessageHash } from './eip191.js';
import { keccak256 } from './keccak256.js';
import { defaultSecp256k1Backend, type Secp256k1Backend } from './secp256k1-backend.js';
import { BoundedMemo } from '../../memo/bounded-memo.js';

export const SIGNATURE_LENGTH = 65;
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N_BYTES = fromHex((SECP256K1_N >> 1n).toString(16).padStart(64, '0'));

export type SignatureFault = 'signature_length' | 'signature_high_s' | 'signature_v' | 'signature_mismatch';

export const SIGNATURE_FAULT_TEXT: Record<SignatureFault, string> = {
  signature_length: 'invalid signature length',
  signature_high_s: 'signature s value too high',
  signature_v: 'signature v value must be 27 or 28',
  signature_mismatch: 'signature does not recover to the expected address',
};

/** S compared as a big-endian 256-bit number against n/2, without bigint. */
function isHighS(sig: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const s = sig[32 + i]!;
    const h = HALF_N_BYTES[i]!;
    if (s !== h) return s > h;
  }
  return false;
}

export function signatureShapeFault(sig: Uint8Array): SignatureFault | undefined {
  if (sig.length !== SIGNATURE_LENGTH) return 'signature_length';
  if (isHighS(sig)) return 'signature_high_s';
  const v = sig[64];
  if (v !== 27 && v !== 28) return 'signature_v';
  return undefined;
}

export function publicKeyToAddress(publicKey: Uint8Array): Address {
  return keccak256(publicKey.subarray(1)).subarray(12);
}

export type RecoverResult = { readonly address: Address; readonly publicKey: Uint8Array } | { readonly fault: SignatureFault };

/**
 * Recovers signers of personal-signed messages. Remembers the public key of each
 * address it has proven, so checking a known sender compares 64 bytes instead of
 * hashing the recovered key: that saves one keccak per ticket on the hot path.
 */
export class SignatureVerifier {
  private readonly knownKeys: BoundedMemo<string, Uint8Array>;

  constructor(
    readonly backend: Secp256k1Backend = defaultSecp256k1Backend(),
    maxKnownKeys = 10_000,
  ) {
    this.knownKeys = new BoundedMemo<string, Uint8Array>(maxKnownKeys);
  }

  /** Recovers the signer of `message` (hashed with the EIP-191 prefix first). */
  recover(message: Uint8Array, sig: Uint8Array): RecoverResult {
    return this.recoverDigest(personalMessageHash(message), sig);
  }

  recoverDigest(digest: Uint8Array, sig: Uint8Array): RecoverResult {
    const fault = signatureShapeFault(sig);
    if (fault !== undefined) return { fault };
    const publicKey = this.backend.recoverPublicKey(digest, sig.subarray(0, 64), sig[64]! - 27);
    if (publicKey === undefined) return { fault: 'signature_mismatch' };
    return { address: publicKeyToAddress(publicKey), publicKey };
  }

  /** Why `sig` is not `expected`'s signature over `message`, or undefined when it is. */
  verify(expected: Address, expectedKey: string, message: Uint8Array, sig: Uint8Array): SignatureFault | undefined {
    const fault = signatureShapeFault(sig);
    if (fault !== undefined) return fault;
    const publicKey = this.backend.recoverPublicKey(personalMessageHash(message), sig.subarray(0, 64), sig[64]! - 27);
    if (publicKey === undefined) return 'signature_mismatch';
    const known = this.knownKeys.get(expectedKey);
    if (known !== undefined) return bytesEqual(known, publicKey) ? undefined : 'signature_mismatch';
    if (!bytesEqual(publicKeyToAddress(publicKey), expected)) return 'signature_mismatch';
    this.knownKeys.set(expectedKey, publicKey);
    return undefined;
  }
}

/** Signs `message` the way go-livepeer's account manager does: EIP-191 digest, V + 27. */
export function signPersonalMessage(message: Uint8Array, privateKey: Uint8Array, backend: Secp256k1Backend = defaultSecp256k1Backend()): Uint8Array {
  const { compact, recoveryId } = backend.sign(personalMessageHash(message), privateKey);
  const sig = new Uint8Array(SIGNATURE_LENGTH);
  sig.set(compact, 0);
  sig[64] = recoveryId + 27;
  return sig;
}
