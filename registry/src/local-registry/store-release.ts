import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errors, type PluginManifest } from '@lpx/sdk';
import { gunzipPackage } from '../tarball/package-tarball.js';
import { ENTRY_FILES, entryDir, isNodeError, stagingDir, type RegistryEntry } from './layout.js';
import { readEntry } from './read-entry.js';

export interface PublishResult {
  readonly entry: RegistryEntry;
  /** `unchanged` when the same content was already published: publishing is idempotent. */
  readonly status: 'published' | 'unchanged';
}

/** One release's bytes, already checked by the caller (manifest valid, integrity of `tgz`). */
export interface ReleaseToStore {
  readonly manifest: PluginManifest;
  readonly tgz: Buffer;
  /** Uncompressed `tgz`; what "same content" is compared on. */
  readonly tar: Buffer;
  readonly integrity: string;
}

/**
 * Published versions are immutable. Content is compared as the uncompressed
 * archive, not the .tgz bytes, so a different zlib build cannot turn an
 * identical re-publish into a conflict.
 */
async function compareWithExisting(dir: string, tar: Buffer, integrity: string): Promise<void> {
  const existingTgz = await readFile(join(dir, ENTRY_FILES.tarball)).catch((error: unknown) => {
    throw errors.registry.ENTRY_INVALID.create(`registry entry ${dir} exists but has no readable ${ENTRY_FILES.tarball}; remove the folder and publish again`, { cause: error });
  });
  if (gunzipPackage(existingTgz).equals(tar)) return;
  const existing = (await readFile(join(dir, ENTRY_FILES.integrity), 'utf8').catch(() => 'unknown')).trim();
  throw errors.registry.PUBLISH_CONFLICT.create(
    `${dir} already holds different content (${existing}) than the release being published (${integrity}); published versions are immutable, bump the version`,
    { details: { dir, existing, publishing: integrity } },
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, (error: unknown) => {
    if (isNodeError(error, 'ENOENT')) return false;
    throw error;
  });
}

/**
 * Writes `<root>/<id>/<version>/{manifest.json,package.tgz,integrity}` for a
 * checked release, or confirms an identical one is already there. The entry
 * is written to a staging folder and renamed into place, so readers (and the
 * HTTP registry's GETs) never see a half-written version. Shared by the
 * local publish and the HTTP registry's PUT, so both refuse a changed
 * version the same way.
 */
export async function storeRelease(root: string, release: ReleaseToStore): Promise<PublishResult> {
  const { manifest, tgz, tar, integrity } = release;
  const dir = entryDir(root, manifest.id, manifest.version);

  if (await exists(dir)) {
    await compareWithExisting(dir, tar, integrity);
    return { entry: await readEntry(root, manifest.id, manifest.version), status: 'unchanged' };
  }

  const staging = stagingDir(dirname(dir), manifest.version);
  await mkdir(staging, { recursive: true });
  try {
    await writeFile(join(staging, ENTRY_FILES.tarball), tgz);
    await writeFile(join(staging, ENTRY_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(staging, ENTRY_FILES.integrity), `${integrity}\n`);
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Someone published the same version between our check and our rename.
    if (!isNodeError(error, 'EEXIST', 'ENOTEMPTY')) throw error;
    await compareWithExisting(dir, tar, integrity);
    return { entry: await readEntry(root, manifest.id, manifest.version), status: 'unchanged' };
  }
  return { entry: await readEntry(root, manifest.id, manifest.version), status: 'published' };
}
