import type { Address } from '../encoding/address.js';
import { defaultSecp256k1Backend, type Secp256k1Backend } from './secp256k1-backend.js';
import { publicKeyToAddress, signPersonalMessage } from './signature.js';

/**
 * Who signs tickets on the gateway side. Asynchronous so a key held elsewhere
 * (KMS, remote signer) fits behind the same interface.
 */
export interface TicketSigner {
  readonly address: Address;
  /** 65-byte R ‖ S ‖ V (V = 27/28) personal-sign signature over `message`. */
  signMessage(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** A signer holding a raw secp256k1 private key in memory. */
export class PrivateKeyTicketSigner implements TicketSigner {
  readonly address: Address;

  constructor(
    private readonly privateKey: Uint8Array,
    private readonly backend: Secp256k1Backend = defaultSecp256k1Backend(),
  ) {
    if (privateKey.length !== 32) throw new RangeError('a secp256k1 private key is 32 bytes');
    this.address = publicKeyToAddress(backend.publicKey(privateKey));
  }

  signMessage(message: Uint8Array): Uint8Array {
    return signPersonalMessage(message, this.privateKey, this.backend);
  }
}
