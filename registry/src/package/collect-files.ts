import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { errors } from '@lpx/sdk';
import type { PackageFile } from '../tarball/package-tarball.js';
import { MANIFEST_FILE, PACKAGE_JSON } from './plugin-package.js';

/** Never packed: installed dependencies, VCS and tool state, earlier tarballs. */
function excluded(name: string): boolean {
  return name === 'node_modules' || name.startsWith('.') || name.endsWith('.tgz');
}

async function readPackageFile(root: string, absolute: string): Promise<PackageFile> {
  const [content, stats] = await Promise.all([readFile(absolute), lstat(absolute)]);
  const path = relative(root, absolute).split(sep).join(posix.sep);
  return { path, content, executable: (stats.mode & 0o111) !== 0 };
}

/** Symlinks are skipped, as npm pack skips them: a package carries files, not pointers out of itself. */
async function walk(root: string, absolute: string, out: PackageFile[]): Promise<void> {
  const stats = await lstat(absolute);
  if (stats.isSymbolicLink()) return;
  if (stats.isFile()) out.push(await readPackageFile(root, absolute));
  else if (stats.isDirectory()) await walkDirectory(root, absolute, out);
}

async function walkDirectory(root: string, absolute: string, out: PackageFile[]): Promise<void> {
  for (const entry of (await readdir(absolute)).sort()) {
    if (!excluded(entry)) await walk(root, join(absolute, entry), out);
  }
}

function outside(root: string, absolute: string): boolean {
  const path = relative(root, absolute);
  return path === '..' || path.startsWith(`..${sep}`);
}

async function listedFiles(root: string, listed: unknown): Promise<PackageFile[]> {
  if (!Array.isArray(listed) || !listed.every((item) => typeof item === 'string')) {
    throw errors.registry.PACKAGE_INVALID.create(`${root}: ${PACKAGE_JSON} "files" must be an array of paths`);
  }
  const out: PackageFile[] = [];
  for (const item of [PACKAGE_JSON, MANIFEST_FILE, ...(listed as string[])]) {
    const absolute = join(root, item);
    if (outside(root, absolute)) {
      throw errors.registry.PACKAGE_INVALID.create(`${root}: ${PACKAGE_JSON} "files" entry "${item}" is outside the plugin folder`);
    }
    const exists = await lstat(absolute).then(() => true, () => false);
    if (!exists) {
      if (item === MANIFEST_FILE) continue; // reported, with the convention, by inspectPluginPackage
      throw errors.registry.PACKAGE_INVALID.create(`${root}: ${PACKAGE_JSON} "files" entry "${item}" does not exist (globs are not supported)`);
    }
    await walk(root, absolute, out);
  }
  const unique = new Map(out.map((file) => [file.path, file]));
  return [...unique.values()];
}

/**
 * The files a plugin folder packs to. With a package.json `files` array: that
 * list (plain paths, files or folders, no globs) plus package.json and
 * plugin.manifest.json. Without one: every file except node_modules, dot
 * entries and `.tgz` files.
 */
export async function collectPluginFiles(root: string): Promise<PackageFile[]> {
  let packageJson: unknown;
  try {
    packageJson = JSON.parse(await readFile(join(root, PACKAGE_JSON), 'utf8'));
  } catch (error) {
    throw errors.registry.PACKAGE_INVALID.create(`${root}: cannot read ${PACKAGE_JSON}: ${(error as Error).message}`, { cause: error });
  }
  const listed = (packageJson as { files?: unknown } | null)?.files;
  if (listed !== undefined) return listedFiles(root, listed);
  const out: PackageFile[] = [];
  await walkDirectory(root, root, out);
  return out;
}
