/**
 * Comparing a shared secret a peer presents (worker registration, result
 * posts). Both sides are hashed first so the comparison always runs over 32
 * bytes: neither the secret's length nor how many leading bytes matched shows
 * up in the response time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when `given` equals `expected`; an empty or missing expected secret matches nothing. */
export function secretMatches(given: string | undefined, expected: string | undefined): boolean {
  if (expected === undefined || expected === '') return false;
  const equal = timingSafeEqual(digest(given ?? ''), digest(expected));
  return equal && given !== undefined;
}
