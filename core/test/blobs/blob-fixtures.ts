import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLpxError } from '@lpx/sdk';
import { BlobStore, DiskBackend, type BlobStoreOptions } from '../../src/blobs/index.js';

export interface Teardownable {
  teardown(fn: () => unknown): void;
}

export async function tempDir(t: Teardownable, name = 'lpx-blobs-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), name));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export const SECRET = randomBytes(32);

/** A disk store in a fresh temp dir (or `dir`), with generous limits unless overridden. */
export async function diskStore(t: Teardownable, overrides: Partial<BlobStoreOptions> & { dir?: string } = {}): Promise<BlobStore> {
  const { dir: given, ...rest } = overrides;
  const dir = given ?? (await tempDir(t));
  const backend = new DiskBackend(dir);
  await backend.init();
  const store = await BlobStore.open({ backend, secret: SECRET, maxBlobBytes: 64 * 1024 * 1024, quotaBytes: 1024 * 1024 * 1024, ttlSeconds: 3600, ...rest });
  t.teardown(() => store.close());
  return store;
}

export async function countBlobs(store: BlobStore): Promise<number> {
  let n = 0;
  for await (const _ of store.list()) n++;
  return n;
}

/** The LPX_ERR code a promise rejects with (undefined if it resolves; marked when the error is uncoded). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isLpxError(error) ? error.code : `uncoded: ${String(error)}`;
  }
}
