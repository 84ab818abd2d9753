/**
 * API keys of gateway tenants. A key is 256 random bits, shown once when it
 * is made; the config keeps only its SHA-256, so a leaked config file spends
 * nothing. A key has that much entropy, so one unsalted hash is enough: there
 * is no dictionary to try.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Marks a string as an lpx key in logs and secret scanners. */
export const API_KEY_PREFIX = 'lpx_';

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Lowercase hex SHA-256 of the key as sent (the config's `keys` entries). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
