import { keccak256 } from '../crypto/keccak256.js';
import { fromHex, toHex, type Hex } from './bytes.js';

/** A 20-byte Ethereum address as raw bytes; the wire and hash form. */
export type Address = Uint8Array;

/** EIP-55 mixed-case checksum, the form go-livepeer prints and signs (`addr.Hex()`). */
export function toChecksumAddress(address: Address): Hex {
  const lower = toHex(address).slice(2);
  const hash = keccak256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  }
  return out as Hex;
}

/** Lower-case hex, used as a map key so differently-cased inputs meet. */
export function addressKey(address: Address): string {
  return toHex(address);
}

export function parseAddress(hex: string): Address {
  const bytes = fromHex(hex);
  if (bytes.length !== 20) throw new Error(`an address is 20 bytes, got ${bytes.length}`);
  return bytes;
}
