/**
 * The elliptic-curve operations tickets need, behind one small interface with two
 * implementations: the native libsecp256k1 binding (the orchestrator hot path) and
 * a pure-JS fallback for platforms without a prebuild. The bench measures both.
 */
import { createRequire } from 'node:module';
import { secp256k1 as nobleCurve } from '@noble/curves/secp256k1';

export interface CompactSignature {
  /** r ‖ s, 64 bytes, low-S. */
  readonly compact: Uint8Array;
  /** 0 or 1 (Ethereum adds 27). */
  readonly recoveryId: number;
}

export interface Secp256k1Backend {
  readonly name: 'native' | 'noble';
  /** 65-byte uncompressed public key, or undefined when no key recovers from these inputs. */
  recoverPublicKey(digest: Uint8Array, compact: Uint8Array, recoveryId: number): Uint8Array | undefined;
  sign(digest: Uint8Array, privateKey: Uint8Array): CompactSignature;
  /** 65-byte uncompressed public key. */
  publicKey(privateKey: Uint8Array): Uint8Array;
}

interface NativeSecp256k1 {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed?: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(privateKey: Uint8Array, compressed?: boolean): Uint8Array;
}

export const nobleBackend: Secp256k1Backend = {
  name: 'noble',
  recoverPublicKey(digest, compact, recoveryId) {
    try {
      return nobleCurve.Signature.fromCompact(compact).addRecoveryBit(recoveryId).recoverPublicKey(digest).toRawBytes(false);
    } catch {
      return undefined;
    }
  },
  sign(digest, privateKey) {
    const sig = nobleCurve.sign(digest, privateKey, { lowS: true });
    return { compact: sig.toCompactRawBytes(), recoveryId: sig.recovery };
  },
  publicKey(privateKey) {
    return nobleCurve.getPublicKey(privateKey, false);
  },
};

function nativeBackendFrom(lib: NativeSecp256k1): Secp256k1Backend {
  return {
    name: 'native',
    recoverPublicKey(digest, compact, recoveryId) {
      try {
        return lib.ecdsaRecover(compact, recoveryId, digest, false);
      } catch {
        return undefined;
      }
    },
    sign(digest, privateKey) {
      const { signature, recid } = lib.ecdsaSign(digest, privateKey);
      return { compact: signature, recoveryId: recid };
    },
    publicKey(privateKey) {
      return lib.publicKeyCreate(privateKey, false);
    },
  };
}

/** Why the native binding did not load, when it did not (for the one log line at start). */
let nativeLoadError: string | undefined;

/**
 * The native binding, or undefined. We load `secp256k1/bindings` rather than the
 * package root because the root silently falls back to `elliptic`, which is slower
 * than noble and would hide a missing prebuild.
 */
export function loadNativeBackend(): Secp256k1Backend | undefined {
  try {
    const require = createRequire(import.meta.url);
    return nativeBackendFrom(require('secp256k1/bindings') as NativeSecp256k1);
  } catch (cause) {
    nativeLoadError = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return undefined;
  }
}

export interface Secp256k1BackendChoice {
  readonly backend: Secp256k1Backend;
  /** Why this backend, in words an operator can act on. */
  readonly reason: string;
}

let preferred: Secp256k1BackendChoice | undefined;

/** Picks once per process: native when it loads (override with LPX_SECP256K1=noble), else noble. */
export function secp256k1BackendChoice(): Secp256k1BackendChoice {
  if (preferred === undefined) {
    if (process.env['LPX_SECP256K1'] === 'noble') {
      preferred = { backend: nobleBackend, reason: 'LPX_SECP256K1=noble asks for the pure-JS backend' };
    } else {
      const native = loadNativeBackend();
      preferred =
        native !== undefined
          ? { backend: native, reason: 'native libsecp256k1 binding loaded' }
          : { backend: nobleBackend, reason: `native secp256k1 binding did not load (${nativeLoadError ?? 'unknown error'}); signing and recovery use pure-JS noble, several times slower` };
    }
  }
  return preferred;
}

/** Native when it loads (override with LPX_SECP256K1=noble), else noble. */
export function defaultSecp256k1Backend(): Secp256k1Backend {
  return secp256k1BackendChoice().backend;
}
