import { posix } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { errors } from '@lpx/sdk';
import { readTar } from './tar-read.js';
import { writeTar } from './tar-write.js';

/** One file of a plugin package, addressed relative to the package root. */
export interface PackageFile {
  /** POSIX path relative to the package root, e.g. `src/index.mjs`. */
  readonly path: string;
  readonly content: Buffer;
  readonly executable: boolean;
}

/** npm-pack puts everything under `package/`; so do we, so `tar -tzf` looks familiar. */
const ROOT = 'package/';

/**
 * Unpacked size cap: a gzip bomb must fail as a bad package, not exhaust memory.
 * Generous, because AI plugins may ship small assets alongside code.
 */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

/** The uncompressed archive. Sorted by path so the same files give the same bytes. */
export function packageTar(files: readonly PackageFile[]): Buffer {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return writeTar(sorted.map((file) => ({ path: `${ROOT}${file.path}`, content: file.content, executable: file.executable })));
}

/** The `.tgz` npm would recognise. */
export function gzipPackage(tar: Buffer): Buffer {
  return gzipSync(tar, { level: 9 });
}

export function gunzipPackage(tgz: Buffer): Buffer {
  try {
    return gunzipSync(tgz, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (error) {
    throw errors.registry.PACKAGE_INVALID.create(`package tarball cannot be decompressed: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A path from an archive, made safe to join under an install folder: inside
 * `package/`, relative, no `..`, no backslashes or NULs that other platforms
 * or tools would read differently.
 */
export function packageRelativePath(archivePath: string): string {
  const unsafe = (why: string) => errors.registry.PACKAGE_INVALID.create(`package tarball entry "${archivePath}" is unsafe: ${why}`);
  if (!archivePath.startsWith(ROOT)) throw unsafe(`it is not under "${ROOT}"`);
  if (/[\\\0]/.test(archivePath)) throw unsafe('it contains a backslash or NUL');
  const relative = posix.normalize(archivePath.slice(ROOT.length));
  if (relative === '.' || relative === '' || relative.endsWith('/')) throw unsafe('it names no file');
  if (relative.startsWith('/') || relative === '..' || relative.startsWith('../')) throw unsafe('it escapes the package folder');
  return relative;
}

/** Parses a `.tgz` fully into memory; nothing touches the disk. */
export function unpackPackage(tgz: Buffer): PackageFile[] {
  const seen = new Set<string>();
  return readTar(gunzipPackage(tgz)).map((entry) => {
    const path = packageRelativePath(entry.path);
    // Two entries for one path would let what is checked differ from what is written.
    if (seen.has(path)) throw errors.registry.PACKAGE_INVALID.create(`package tarball has two entries for "${path}"`);
    seen.add(path);
    return { path, content: entry.content, executable: entry.executable };
  });
}
