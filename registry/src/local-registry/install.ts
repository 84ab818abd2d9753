import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { errors, type PluginManifest } from '@lpx/sdk';
import { inspectPluginPackage, type PluginPackage } from '../package/plugin-package.js';
import { unpackPackage } from '../tarball/package-tarball.js';
import { verifyIntegrity } from '../verify/integrity.js';
import { stagingDir, type RegistryEntry } from './layout.js';

export interface InstalledPlugin {
  readonly id: string;
  readonly version: string;
  readonly manifest: PluginManifest;
  /** file: URL of the entry module; its default export is the PluginDefinition. */
  readonly entryUrl: string;
  /** `<installDir>/<id>/<version>` */
  readonly dir: string;
  readonly integrity: string;
}

/** A package whose bytes matched their integrity and whose contents passed the convention; still only in memory. */
export interface VerifiedPackage {
  readonly entry: RegistryEntry;
  readonly pkg: PluginPackage;
}

/**
 * Reads, hashes and checks an entry's tarball without writing anything. The
 * hash is checked first, on the raw bytes: an unverified archive is never even
 * decompressed. Then the manifest inside the tarball must equal the entry's
 * `manifest.json`, because only the tarball is covered by the integrity.
 */
export async function verifyEntry(entry: RegistryEntry): Promise<VerifiedPackage> {
  const subject = `plugin "${entry.id}"@${entry.version}`;
  const tgz = await readFile(entry.tarballPath).catch((error: unknown) => {
    throw errors.registry.ENTRY_INVALID.create(`${subject}: cannot read ${entry.tarballPath}: ${(error as Error).message}`, { cause: error });
  });
  verifyIntegrity(tgz, entry.integrity, subject);
  return { entry, pkg: inspectVerifiedTarball(tgz, entry.manifest, `${subject} (${entry.tarballPath})`, `${entry.dir}/manifest.json`) };
}

/**
 * Unpacks a tarball whose integrity was already checked and holds it to the
 * package convention and to the release's `manifest.json`: only the tarball is
 * covered by the integrity, so the manifest beside it must say the same.
 */
export function inspectVerifiedTarball(tgz: Buffer, manifest: PluginManifest, subject: string, manifestSource: string): PluginPackage {
  const pkg = inspectPluginPackage(unpackPackage(tgz), subject);
  if (!isDeepStrictEqual(pkg.manifest, manifest)) {
    throw errors.registry.ENTRY_INVALID.create(`${subject}: ${manifestSource} differs from the plugin.manifest.json inside its verified tarball`);
  }
  return pkg;
}

/**
 * Writes a verified package to `<installDir>/<id>/<version>/`, replacing any
 * earlier copy: the install folder is a cache of the registry, and rewriting
 * it from verified bytes means a local edit there never survives a boot.
 * `prepare` runs in the staging folder before it is renamed into place (npm
 * dependencies), so a failure there leaves nothing installed.
 */
export async function extractVerified(verified: VerifiedPackage, installDir: string, prepare?: (staging: string) => Promise<void>): Promise<InstalledPlugin> {
  const { entry, pkg } = verified;
  const target = join(installDir, entry.id, entry.version);
  const staging = stagingDir(dirname(target), entry.version);
  try {
    for (const file of pkg.files) {
      const path = join(staging, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content, { mode: file.executable ? 0o755 : 0o644 });
    }
    await mkdir(staging, { recursive: true }); // an empty package still gets its folder
    await prepare?.(staging);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return {
    id: entry.id,
    version: entry.version,
    manifest: pkg.manifest,
    entryUrl: pathToFileURL(join(target, pkg.entry)).href,
    dir: target,
    integrity: entry.integrity,
  };
}

/**
 * Verifies the entry's sha512 integrity before extracting anything, then
 * extracts it and returns the module URL the kernel should `import()`.
 */
export async function installResolvedPlugin(entry: RegistryEntry, installDir: string): Promise<InstalledPlugin> {
  return extractVerified(await verifyEntry(entry), installDir);
}
