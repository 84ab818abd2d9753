import { errors } from '@lpx/sdk';
import { BLOCK, FIELD, headerChecksum, paddedSize, type Field } from './tar-format.js';

export interface TarFile {
  /** POSIX path inside the archive, e.g. `package/index.mjs`. */
  readonly path: string;
  readonly content: Uint8Array;
  readonly executable?: boolean;
}

/**
 * npm's fixed timestamp for packed files. Fixing mtime (and owner, and order)
 * makes the same folder pack to the same bytes, which is what lets a
 * re-publish of identical content be recognised as a no-op.
 */
const PACK_MTIME_SECONDS = Date.UTC(1985, 9, 26, 8, 15, 0) / 1000;

function writeString(header: Buffer, field: Field, value: string): void {
  header.write(value, field.offset, field.length, 'utf8');
}

/** Octal, zero-padded, NUL-terminated, as ustar expects for numeric fields. */
function writeOctal(header: Buffer, field: Field, value: number): void {
  writeString(header, field, `${value.toString(8).padStart(field.length - 1, '0')}\0`);
}

/** ustar fits long paths by splitting them at a `/` into prefix (155) and name (100). */
function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= FIELD.name.length) return { prefix: '', name: path };
  for (let cut = path.indexOf('/'); cut !== -1; cut = path.indexOf('/', cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= FIELD.prefix.length && Buffer.byteLength(name) <= FIELD.name.length) return { prefix, name };
  }
  throw errors.registry.PACKAGE_INVALID.create(`path "${path}" is too long for a ustar archive (at most 255 bytes, split at a "/")`);
}

function fileHeader(file: TarFile): Buffer {
  const header = Buffer.alloc(BLOCK);
  const { prefix, name } = splitPath(file.path);
  writeString(header, FIELD.name, name);
  writeOctal(header, FIELD.mode, file.executable ? 0o755 : 0o644);
  writeOctal(header, FIELD.uid, 0);
  writeOctal(header, FIELD.gid, 0);
  writeOctal(header, FIELD.size, file.content.byteLength);
  writeOctal(header, FIELD.mtime, PACK_MTIME_SECONDS);
  writeString(header, FIELD.type, '0');
  writeString(header, FIELD.magic, 'ustar\0');
  writeString(header, FIELD.version, '00');
  writeString(header, FIELD.prefix, prefix);
  writeString(header, FIELD.checksum, `${headerChecksum(header).toString(8).padStart(6, '0')}\0 `);
  return header;
}

/** An uncompressed ustar archive of regular files, in the order given. */
export function writeTar(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(fileHeader(file), Buffer.from(file.content));
    const padding = paddedSize(file.content.byteLength) - file.content.byteLength;
    if (padding > 0) parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(BLOCK * 2)); // end-of-archive marker
  return Buffer.concat(parts);
}
