import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { errors } from '@lpx/sdk';
import { validateManifest } from '../manifest/validate.js';
import { sha512Digests } from '../verify/integrity.js';
import { ENTRY_FILES, entryDir, isNodeError, type RegistryEntry } from './layout.js';

async function readEntryFile(dir: string, name: string): Promise<string> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (error) {
    throw errors.registry.ENTRY_INVALID.create(`registry entry ${dir} has no readable ${name}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads one entry's metadata. The tarball itself is only checked for presence;
 * its bytes are read (and hashed) at install, where they are used.
 */
export async function readEntry(root: string, id: string, version: string): Promise<RegistryEntry> {
  const dir = entryDir(root, id, version);
  const manifestPath = join(dir, ENTRY_FILES.manifest);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readEntryFile(dir, ENTRY_FILES.manifest));
  } catch (error) {
    if (errors.registry.ENTRY_INVALID.is(error)) throw error;
    throw errors.registry.ENTRY_INVALID.create(`${manifestPath} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const manifest = validateManifest(parsed, { source: manifestPath });
  if (manifest.id !== id || manifest.version !== version) {
    throw errors.registry.ENTRY_INVALID.create(`${manifestPath} describes "${manifest.id}"@${manifest.version} but sits in the folder for "${id}"@${version}`);
  }
  const integrity = (await readEntryFile(dir, ENTRY_FILES.integrity)).trim();
  sha512Digests(integrity);
  const tarballPath = join(dir, ENTRY_FILES.tarball);
  const isFile = await stat(tarballPath).then((s) => s.isFile(), () => false);
  if (!isFile) throw errors.registry.ENTRY_INVALID.create(`registry entry ${dir} has no ${ENTRY_FILES.tarball}`);
  return { id, version, manifest, integrity, dir, tarballPath };
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
}

/**
 * Published versions of one plugin, ascending. Dot folders (staging) and
 * names that are not exact semver versions are not entries and are ignored.
 */
export async function listVersions(root: string, id: string): Promise<string[]> {
  const names = await listNames(join(root, id));
  return names.filter((name) => !name.startsWith('.') && semver.valid(name) === name).sort(semver.compare);
}

export async function listPluginIds(root: string, idPattern: RegExp): Promise<string[]> {
  return (await listNames(root)).filter((name) => idPattern.test(name)).sort();
}
