import { errors } from '@lpx/sdk';
import { BLOCK, FIELD, headerChecksum, paddedSize, type Field } from './tar-format.js';

export interface TarEntry {
  /** The path as stored in the archive; not yet checked for safety. */
  readonly path: string;
  readonly content: Buffer;
  readonly executable: boolean;
}

const FILE_TYPES = new Set(['0', '\0', '']);
const LINK_TYPES = new Set(['1', '2']);

export interface ReadTarOptions {
  /**
   * `skip` drops hard and symbolic links instead of refusing the archive. Only
   * for archives that are read, never extracted (a `docker save` image inside a
   * package, whose duplicate layers may be links).
   */
  readonly links?: 'refuse' | 'skip';
}

function invalid(message: string): Error {
  return errors.registry.PACKAGE_INVALID.create(`package tarball is malformed: ${message}`);
}

function readString(block: Buffer, field: Field): string {
  const raw = block.subarray(field.offset, field.offset + field.length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function readOctal(block: Buffer, field: Field): number {
  if (((block[field.offset] ?? 0) & 0x80) !== 0) throw invalid('base-256 sizes (files over 8 GiB) are not supported');
  const text = readString(block, field).trim();
  const value = text === '' ? 0 : Number.parseInt(text, 8);
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(`bad numeric field "${text}"`);
  return value;
}

/** pax extended headers are `<length> <key>=<value>\n` records; only `path` matters here. */
function paxPath(content: Buffer): string | undefined {
  let path: string | undefined;
  for (const record of content.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/s.exec(record);
    if (match) path = match[1];
  }
  return path;
}

/**
 * Parses an uncompressed tar archive into memory. Links, devices and FIFOs are
 * refused rather than skipped: a plugin package has no use for them and a
 * symlink is the classic way to make extraction write outside its folder.
 */
export function readTar(archive: Buffer, options: ReadTarOptions = {}): TarEntry[] {
  const entries: TarEntry[] = [];
  let longPath: string | undefined;
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return entries;
    if (readOctal(header, FIELD.checksum) !== headerChecksum(header)) throw invalid(`header checksum mismatch at byte ${offset}`);
    const size = readOctal(header, FIELD.size);
    const type = readString(header, FIELD.type);
    const dataStart = offset + BLOCK;
    if (dataStart + size > archive.length) throw invalid(`entry at byte ${offset} runs past the end of the archive`);
    const content = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + paddedSize(size);

    if (type === 'x') longPath = paxPath(content) ?? longPath;
    else if (type === 'L') longPath = content.toString('utf8').replace(/\0+$/, '');
    else if (type === 'g') continue; // global pax metadata: nothing we use
    else if (type === '5') longPath = undefined; // directories are implied by file paths
    else if (LINK_TYPES.has(type) && options.links === 'skip') longPath = undefined;
    else if (FILE_TYPES.has(type)) {
      const prefix = readString(header, FIELD.prefix);
      const name = readString(header, FIELD.name);
      const path = longPath ?? (prefix ? `${prefix}/${name}` : name);
      entries.push({ path, content: Buffer.from(content), executable: (readOctal(header, FIELD.mode) & 0o111) !== 0 });
      longPath = undefined;
    } else {
      throw invalid(`entry "${readString(header, FIELD.name)}" has type "${type}"; only regular files and directories are allowed`);
    }
  }
  throw invalid('no end-of-archive marker');
}
