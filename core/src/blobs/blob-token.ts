import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errors } from '@lpx/sdk';

const SECRET_BYTES = 32;

function mac(secret: Buffer, id: string, expiresSeconds: number): Buffer {
  return createHmac('sha256', secret).update(`lpx-blob-v1\n${id}\n${expiresSeconds}`).digest();
}

/** `<expires unix seconds>.<base64url HMAC-SHA256(secret, id, expires)>`: binds one blob id to one expiry. */
export function signBlobToken(secret: Buffer, id: string, expiresAtMs: number): string {
  const seconds = Math.ceil(expiresAtMs / 1000);
  return `${seconds}.${mac(secret, id, seconds).toString('base64url')}`;
}

/**
 * Throws the coded refusal for a token that does not grant `id` now. The
 * signature is checked before the expiry, so an expired token is only
 * reported as expired if it was genuine (401), and a forged one is 403.
 */
export function verifyBlobToken(secret: Buffer, id: string, token: string | undefined, nowMs: number): void {
  if (token === undefined || token === '') throw errors.blobs.TOKEN_MISSING.create(`blob ${id} needs a token (Authorization: Bearer <token> or ?token=)`);
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) throw errors.blobs.TOKEN_INVALID.create(`the token for blob ${id} is malformed`);
  const seconds = Number(match[1]);
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = mac(secret, id, seconds);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw errors.blobs.TOKEN_INVALID.create(`the token does not grant blob ${id}`);
  }
  if (seconds * 1000 <= nowMs) throw errors.blobs.TOKEN_EXPIRED.create(`the token for blob ${id} expired at ${new Date(seconds * 1000).toISOString()}`);
}

/**
 * The configured secret, or one made once and kept in the data dir (0600) so
 * tokens stay valid across restarts. A hard link publishes the whole file at
 * once and fails if one exists, so processes sharing the directory agree on
 * one secret: the loser of a race reads the winner's.
 */
export async function loadBlobSecret(configured: string | undefined, path: string): Promise<Buffer> {
  if (configured !== undefined) return Buffer.from(configured, 'utf8');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(4).toString('hex')}`;
  await writeFile(temp, randomBytes(SECRET_BYTES).toString('hex'), { mode: 0o600, flush: true });
  try {
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temp, { force: true });
  }
  const text = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw errors.config.INVALID.create(`blob secret file ${path} is corrupt; delete it to make a new one (outstanding blob tokens become invalid)`);
  return Buffer.from(text, 'hex');
}
