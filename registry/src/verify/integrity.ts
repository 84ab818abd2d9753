import { createHash } from 'node:crypto';
import { errors } from '@lpx/sdk';

/** npm's Subresource Integrity form for a tarball: `sha512-<base64 digest>`. */
export function sha512Integrity(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/**
 * The sha512 digests in an SRI string. SRI allows several space-separated
 * hashes; only sha512 is accepted because a weaker algorithm would let the
 * strongest guarantee be downgraded by whoever writes the `integrity` file.
 */
export function sha512Digests(integrity: string): string[] {
  const digests = integrity
    .trim()
    .split(/\s+/)
    .filter((token) => token.startsWith('sha512-'))
    .map((token) => token.split('?')[0] ?? token);
  if (digests.length === 0) {
    throw errors.registry.ENTRY_INVALID.create(`integrity "${integrity.trim()}" has no sha512 digest; only sha512 SRI strings are accepted`);
  }
  return digests;
}

/**
 * Throws `LPX_ERR_REGISTRY_INTEGRITY_MISMATCH` unless `bytes` hash to one of the
 * expected sha512 digests. Callers run this before touching the bytes in any
 * other way, so a tampered tarball is never parsed, extracted or imported.
 */
export function verifyIntegrity(bytes: Uint8Array, expected: string, subject: string): void {
  const actual = sha512Integrity(bytes);
  const accepted = sha512Digests(expected);
  if (accepted.includes(actual)) return;
  throw errors.registry.INTEGRITY_MISMATCH.create(
    `${subject}: tarball integrity mismatch, expected ${accepted.join(' or ')} but the file hashes to ${actual}; nothing was extracted`,
    { details: { expected: accepted, actual } },
  );
}
