import { createHash } from 'node:crypto';

/**
 * Seeds for the pipelines the reference runner cannot really run (no GPU, no
 * model weights): every output is a function of the request, so the same
 * request gives the same bytes and tests can compare them.
 */
export function hashText(...parts: readonly unknown[]): Buffer {
  return createHash('sha256').update(JSON.stringify(parts)).digest();
}

/** A 32-bit seed from the request's text, for when the caller gave none. */
export function seedFrom(...parts: readonly unknown[]): number {
  return hashText(...parts).readUInt32BE(0);
}

/** mulberry32: small, fast and stable across Node versions. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
