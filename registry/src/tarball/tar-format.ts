/**
 * The ustar header layout shared by the writer and the reader. Only what npm
 * tarballs need: regular files, plus pax/GNU long names when reading.
 */
export const BLOCK = 512;

export const FIELD = {
  name: { offset: 0, length: 100 },
  mode: { offset: 100, length: 8 },
  uid: { offset: 108, length: 8 },
  gid: { offset: 116, length: 8 },
  size: { offset: 124, length: 12 },
  mtime: { offset: 136, length: 12 },
  checksum: { offset: 148, length: 8 },
  type: { offset: 156, length: 1 },
  magic: { offset: 257, length: 6 },
  version: { offset: 263, length: 2 },
  prefix: { offset: 345, length: 155 },
} as const;

export type Field = (typeof FIELD)[keyof typeof FIELD];

/** The checksum counts the checksum field itself as eight spaces. */
export function headerChecksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) {
    const inChecksumField = i >= FIELD.checksum.offset && i < FIELD.checksum.offset + FIELD.checksum.length;
    sum += inChecksumField ? 0x20 : (header[i] ?? 0);
  }
  return sum;
}

export function paddedSize(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}
