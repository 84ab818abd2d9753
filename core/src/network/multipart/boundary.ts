/**
 * The boundary parameter of a multipart Content-Type, and fresh boundaries for
 * bodies we build. RFC 2046 allows 1–70 characters from a small set; anything
 * else would make our own delimiter ambiguous or unparseable by Go's reader.
 */
import { randomBytes } from 'node:crypto';
import { networkErrors } from '../network-errors.js';

const BOUNDARY_CHARS = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

export function isValidBoundary(boundary: string): boolean {
  return BOUNDARY_CHARS.test(boundary);
}

/** Like Go's mime/multipart writer: 30 random bytes in hex. */
export function randomBoundary(): string {
  return randomBytes(30).toString('hex');
}

function malformed(message: string): Error {
  return networkErrors.MULTIPART_MALFORMED.create(message);
}

/** The media type (lower-case) and the boundary parameter; throws when the boundary is absent or invalid. */
export function boundaryFromContentType(contentType: string): { mediaType: string; boundary: string } {
  const [rawType, ...rawParams] = splitParams(contentType);
  const mediaType = (rawType ?? '').trim().toLowerCase();
  if (!mediaType.startsWith('multipart/')) throw malformed(`content type ${JSON.stringify(mediaType)} is not multipart`);
  for (const param of rawParams) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = param.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (!isValidBoundary(value)) throw malformed(`multipart boundary ${JSON.stringify(value)} is not a valid boundary`);
    return { mediaType, boundary: value };
  }
  throw malformed('multipart content type has no boundary parameter');
}

/** Splits on `;` outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted && ch === '\\' && i + 1 < value.length) {
      current += ch + value[++i]!;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out;
}
