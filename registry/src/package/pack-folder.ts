import type { PluginManifest } from '@lpx/sdk';
import { gzipPackage, packageTar } from '../tarball/package-tarball.js';
import { sha512Integrity } from '../verify/integrity.js';
import { collectPluginFiles } from './collect-files.js';
import { inspectPluginPackage } from './plugin-package.js';

/** A plugin folder packed and checked, ready to write to a registry folder or send to an HTTP registry. */
export interface PackedPlugin {
  readonly manifest: PluginManifest;
  /** The uncompressed archive: what "same content" is compared on. */
  readonly tar: Buffer;
  /** `package.tgz` */
  readonly tgz: Buffer;
  /** sha512 SRI of `tgz`. */
  readonly integrity: string;
}

/**
 * Collects a plugin folder's files, checks them against the package
 * convention (manifest valid, versions agree, entry module present) and packs
 * them. `lpx plugin pack`, the local publish and the HTTP publish all start
 * here, so a package is checked the same way whichever way it leaves.
 */
export async function packPluginFolder(pluginDir: string): Promise<PackedPlugin> {
  const files = await collectPluginFiles(pluginDir);
  const { manifest } = inspectPluginPackage(files, pluginDir);
  const tar = packageTar(files);
  const tgz = gzipPackage(tar);
  return { manifest, tar, tgz, integrity: sha512Integrity(tgz) };
}
