import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { errors } from '@lpx/sdk';
import type { PluginPackage } from '../package/plugin-package.js';
import { MAX_UNPACKED_BYTES } from '../tarball/package-tarball.js';
import { readTar } from '../tarball/tar-read.js';

export interface ImageArchiveCheck {
  readonly archive: string;
  readonly ref: string;
  /** The digest the manifest pins. */
  readonly digest: string;
  /** The image id the archive holds (`sha256:` + sha256 of its config JSON). */
  readonly actual: string;
  readonly layers: number;
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function maybeGunzip(bytes: Buffer): Buffer {
  return isGzip(bytes) ? gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES }) : bytes;
}

interface SaveManifestItem {
  readonly Config: string;
  readonly RepoTags?: readonly string[] | null;
  readonly Layers: readonly string[];
}

/**
 * Checks the `docker save` archive a package ships (`byoc.container.archive`)
 * is the image its manifest pins. Docker's image id is the sha256 of the
 * image config JSON, and the config lists the sha256 of every uncompressed
 * layer (`rootfs.diff_ids`), so hashing the config and each layer binds the
 * whole image to the pinned digest without Docker. Returns undefined when the
 * manifest names no archive (the image is pulled or built, and the runtime
 * checks the digest then).
 */
export function verifyImageArchive(pkg: PluginPackage, subject: string): ImageArchiveCheck | undefined {
  const container = pkg.manifest.byoc?.container;
  if (container?.archive === undefined) return undefined;
  const archive = posix.normalize(container.archive.replace(/^\.\//, ''));
  const mismatch = (message: string, details: Record<string, unknown> = {}) =>
    errors.registry.IMAGE_DIGEST_MISMATCH.create(`${subject}: image archive ${archive} (${container.image}): ${message}; nothing was installed`, {
      details: { archive, ref: container.image, digest: container.digest, ...details },
    });
  const file = pkg.files.find((f) => f.path === archive);
  if (file === undefined) throw errors.registry.PACKAGE_INVALID.create(`${subject}: byoc.container.archive names ${archive}, which is not in the package`);

  let files: Map<string, Buffer>;
  try {
    files = new Map(readTar(maybeGunzip(file.content), { links: 'skip' }).map((e) => [posix.normalize(e.path.replace(/^\.\//, '')), e.content]));
  } catch (error) {
    throw mismatch(`not a readable docker save archive (${(error as Error).message})`);
  }
  let items: SaveManifestItem[];
  try {
    items = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? 'null') as SaveManifestItem[];
  } catch {
    items = [];
  }
  if (!Array.isArray(items) || items.length === 0) throw mismatch('it has no manifest.json listing an image (is it a docker save archive?)');
  const item = items.find((i) => i.RepoTags?.includes(container.image)) ?? (items.length === 1 ? items[0] : undefined);
  if (item === undefined || typeof item.Config !== 'string') throw mismatch(`its manifest.json has no image tagged ${container.image}`);
  const config = files.get(posix.normalize(item.Config));
  if (config === undefined) throw mismatch(`its config blob ${item.Config} is missing`);
  const actual = sha256(config);
  if (actual !== container.digest) throw mismatch(`the image id is ${actual}, but the manifest pins ${container.digest}`, { actual });

  let diffIds: unknown;
  try {
    diffIds = (JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: unknown } }).rootfs?.diff_ids;
  } catch {
    diffIds = undefined;
  }
  const layers = Array.isArray(item.Layers) ? item.Layers : [];
  if (!Array.isArray(diffIds) || diffIds.length !== layers.length) throw mismatch(`its config lists ${Array.isArray(diffIds) ? diffIds.length : 'no'} layer digests but manifest.json names ${layers.length} layers`);
  layers.forEach((layerPath, index) => {
    const layer = files.get(posix.normalize(layerPath));
    if (layer === undefined) throw mismatch(`layer ${layerPath} is missing`);
    const layerDigest = sha256(maybeGunzip(layer));
    if (layerDigest !== diffIds[index]) throw mismatch(`layer ${layerPath} hashes to ${layerDigest}, but the image config says ${String(diffIds[index])}`, { layer: layerPath });
  });
  return { archive, ref: container.image, digest: container.digest, actual, layers: layers.length };
}
