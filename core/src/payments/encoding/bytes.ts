/**
 * Byte helpers shared by the wire codec and the hashing code. Integers follow the
 * Livepeer wire convention: unsigned big-endian with no leading zeros, and zero is
 * the empty byte string (what Go's big.Int.Bytes() produces).
 */

export type Hex = `0x${string}`;

const HEX_DIGITS = '0123456789abcdef';
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!);

export function toHex(bytes: Uint8Array): Hex {
  let out = '0x';
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_HEX[bytes[i]!]!;
  return out as Hex;
}

/** Parses `0x`-prefixed or bare hex; throws a plain Error the callers wrap with context. */
export function fromHex(hex: string): Uint8Array {
  const body = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) throw new Error(`not a hex string: ${hex.slice(0, 80)}`);
  return Uint8Array.from(Buffer.from(body, 'hex'));
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(toHex(bytes));
}

/** Minimal big-endian encoding; 0 is empty. Negative values have no wire form. */
export function bigIntToMinimalBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('negative integers have no unsigned wire encoding');
  if (value === 0n) return new Uint8Array(0);
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = '0' + hex;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** 32-byte big-endian, as Solidity's uint256 in abi.encodePacked. */
export function bigIntToWord(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 256n) throw new RangeError('value does not fit in uint256');
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));
}

/** Writes `value` as a 32-byte big-endian word into `target` at `offset` without allocating. */
export function writeWord(target: Uint8Array, offset: number, value: bigint): void {
  let v = value;
  for (let i = offset + 31; i >= offset; i--) {
    target[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Writes a uint32 as the low 4 bytes of a zeroed 32-byte word. */
export function writeUint32Word(target: Uint8Array, offset: number, value: number): void {
  target.fill(0, offset, offset + 28);
  target[offset + 28] = (value >>> 24) & 0xff;
  target[offset + 29] = (value >>> 16) & 0xff;
  target[offset + 30] = (value >>> 8) & 0xff;
  target[offset + 31] = value & 0xff;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isAllZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

export const ZERO_ADDRESS = new Uint8Array(20);
export const ZERO_HASH = new Uint8Array(32);
