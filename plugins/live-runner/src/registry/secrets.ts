/**
 * Runner credentials as go-livepeer derives them: one random seed per runner,
 * and every secret (heartbeat secret, session tokens, bootstrap channel
 * names) an HMAC-SHA256 of a label under it, lower-case unpadded base32. A
 * runner's secrets die with it; nothing is stored.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32 without padding, lower case (go-livepeer's runner ids and secrets). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** `n` random bytes in base32: runner ids (5), session ids (5), proxy ids (16). */
export function randomId(n: number): string {
  return base32(randomBytes(n));
}

export function newSeed(): Buffer {
  return randomBytes(32);
}

export function deriveSecret(seed: Uint8Array, label: string): string {
  return base32(createHmac('sha256', seed).update(label).digest());
}

/** Constant-time comparison; an absent value never matches. */
export function secretEquals(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
