/**
 * The image id a `docker save` archive holds: sha256 of the config blob its
 * manifest.json names — the id `docker load` reproduces and a BYOC manifest
 * pins (`byoc.container.digest`). A minimal ustar walk (names, sizes, pax
 * paths); links and layers are not read. registry-trust's verifyImageArchive
 * also hashes every layer; `lpx plugin test` should move to it once merged.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** Regular files by normalised path. */
function tarFiles(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad size field at byte ${offset}`);
    const type = field(header, 156, 1);
    const prefix = field(header, 345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const content = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    if (content.length < size) throw new Error(`entry ${name} runs past the end of the archive`);
    paxPath = undefined;
    if (type === 'x') paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(content.toString('utf8'))?.[1];
    else if (type === '0' || type === '' || type === '\0') files.set(posix.normalize(name.replace(/^\.\//, '')), content);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

export interface SavedImage {
  /** `sha256:` + hex of the config blob. */
  readonly id: string;
  readonly repoTags: readonly string[];
}

/** Every image in the archive; throws (plain Error, the caller codes it) when it is not a docker save archive. */
export async function dockerSaveImages(tarPath: string): Promise<SavedImage[]> {
  const files = tarFiles(await readFile(tarPath));
  const manifest = files.get('manifest.json');
  if (manifest === undefined) throw new Error('no manifest.json: not a docker save archive');
  const items = JSON.parse(manifest.toString('utf8')) as { Config?: unknown; RepoTags?: unknown }[];
  if (!Array.isArray(items) || items.length === 0) throw new Error('manifest.json lists no image');
  return items.map((item) => {
    const config = typeof item.Config === 'string' ? files.get(posix.normalize(item.Config)) : undefined;
    if (config === undefined) throw new Error(`config blob ${String(item.Config)} is missing`);
    return { id: `sha256:${createHash('sha256').update(config).digest('hex')}`, repoTags: Array.isArray(item.RepoTags) ? (item.RepoTags as string[]) : [] };
  });
}
