/**
 * Labels a PNG as the reference runner's (tEXt chunks right after IHDR), so a
 * deterministic picture stays recognisable after it left the runner's JSON
 * (stored by a gateway, downloaded by a user). Node 18 has no zlib.crc32, hence
 * the small table.
 */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function textChunk(keyword: string, text: string): Buffer {
  // tEXt is Latin-1: keep to printable ASCII.
  const body = Buffer.from(`${keyword}\0${text.replace(/[^\x20-\x7e]/g, '?')}`, 'latin1');
  const typed = Buffer.concat([Buffer.from('tEXt', 'latin1'), body]);
  const out = Buffer.alloc(8 + body.length + 4);
  out.writeUInt32BE(body.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), 8 + body.length);
  return out;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(data: Uint8Array): boolean {
  return data.length > 33 && Buffer.from(data.subarray(0, 8)).equals(PNG_SIGNATURE);
}

/** Adds `entries` as tEXt chunks; returns the input unchanged if it is not a PNG. */
export function labelPng(png: Buffer, entries: Readonly<Record<string, string>>): Buffer {
  if (!isPng(png)) return png;
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  const chunks = Object.entries(entries).map(([k, v]) => textChunk(k, v));
  return Buffer.concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
}

/** Reads the tEXt chunks back (tests, and anyone checking where a picture came from). */
export function readPngText(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPng(png)) return out;
  let at = 8;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'tEXt') {
      const body = png.toString('latin1', at + 8, at + 8 + length);
      const nul = body.indexOf('\0');
      out[body.slice(0, nul)] = body.slice(nul + 1);
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return out;
}
