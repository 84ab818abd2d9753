/**
 * Host paths as the fs grant sees them: resolved against the node's data dir,
 * symlinks followed as far as the path exists (so a link inside a granted
 * folder cannot point a bind mount outside it), then compared by whole
 * path segments.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** The real location of `path` (relative to `baseDir`): the longest existing prefix realpath'd, the rest appended. */
export function realHostPath(baseDir: string, path: string): string {
  let existing = resolve(baseDir, path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return resolve(baseDir, path);
      rest.push(basename(existing));
      existing = parent;
    }
  }
}

/** `path` is `folder` or inside it (both already real). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export interface FsGrant {
  readonly path: string;
  readonly access: 'ro' | 'rw';
}

/** The grants covering `hostPath` with at least `access` (rw covers ro). */
export function fsGrantCovers(grants: readonly FsGrant[], dataDir: string, hostPath: string, access: 'ro' | 'rw'): boolean {
  const real = realHostPath(dataDir, hostPath);
  return grants.some((grant) => (access === 'ro' || grant.access === 'rw') && isInside(realHostPath(dataDir, grant.path), real));
}
