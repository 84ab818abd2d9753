import { randomBytes } from 'node:crypto';
import { errors } from '@lpx/sdk';

/** 128 random bits, hex: unguessable, and safe as a file name and an S3 key with no escaping. */
const BLOB_ID = /^[0-9a-f]{32}$/;

export function newBlobId(): string {
  return randomBytes(16).toString('hex');
}

export function isBlobId(value: unknown): value is string {
  return typeof value === 'string' && BLOB_ID.test(value);
}

/** Every id that reaches a backend passes here first, so none can name a path outside the store. */
export function checkBlobId(value: unknown): string {
  if (!isBlobId(value)) throw errors.blobs.INVALID_REF.create(`'${String(value).slice(0, 80)}' is not a blob id (32 lowercase hex digits)`);
  return value;
}
