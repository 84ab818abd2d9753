import { keccak256 } from './keccak256.js';

const PREFIX_32 = new TextEncoder().encode('\x19Ethereum Signed Message:\n32');

/**
 * keccak256("\x19Ethereum Signed Message:\n" ‖ len ‖ msg): what every Livepeer
 * signature covers (personal_sign, not EIP-712). The 32-byte case is the hot one.
 */
export function personalMessageHash(message: Uint8Array): Uint8Array {
  const prefix = message.length === 32 ? PREFIX_32 : new TextEncoder().encode(`\x19Ethereum Signed Message:\n${message.length}`);
  const buf = new Uint8Array(prefix.length + message.length);
  buf.set(prefix, 0);
  buf.set(message, prefix.length);
  return keccak256(buf);
}
