/**
 * A whole-body multipart/mixed parser for go-livepeer's worker results
 * (`/transcodeResults`, `/aiResults`). No npm parser fits: busboy and
 * @fastify/busboy read only multipart/form-data (they need a
 * Content-Disposition name per part and drop other part headers, where
 * go-livepeer's parts carry `Pixels`), and the multipart/mixed readers left
 * are unmaintained. Workers post a few files at a time and we keep them in
 * memory anyway, so parsing a buffered body is simpler than streaming and as
 * cheap. Line endings may be CRLF or bare LF (Go's reader accepts both); the
 * first delimiter line decides which. Anything Go's reader would reject is an
 * error with the reason: LPX_ERR_NETWORK_MULTIPART_MALFORMED unless the
 * caller names its own code (`invalid`).
 */
import { errors } from '../../errors/catalogue.js';

/** One body part; header names are lower-case, a repeated header's values joined with ", ". */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface MultipartLimits {
  readonly maxParts?: number;
  /** Bytes of header block per part; default 65,536. */
  readonly maxHeaderBytes?: number;
  /** The error for a body Go's reader would refuse (a worker protocol's own "result invalid" code). */
  readonly invalid?: (message: string) => Error;
}

type Invalid = (message: string) => Error;

const defaultInvalid: Invalid = (message) => errors.network.MULTIPART_MALFORMED.create(message);

const BOUNDARY_CHARS = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** The boundary parameter; throws when the type is not multipart or the boundary is absent or invalid. */
export function boundaryOf(contentType: string, malformed: Invalid = defaultInvalid): string {
  const [rawType, ...rawParams] = splitParams(contentType);
  const mediaType = (rawType ?? '').trim().toLowerCase();
  if (!mediaType.startsWith('multipart/')) throw malformed(`content type ${JSON.stringify(mediaType)} is not multipart`);
  for (const param of rawParams) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = param.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (!BOUNDARY_CHARS.test(value)) throw malformed(`multipart boundary ${JSON.stringify(value)} is not a valid boundary`);
    return value;
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
const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;

function isLinearSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09;
}

/**
 * Where the delimiter line that begins at `at` (just past `--boundary`) ends:
 * the index after its line break, 'close' for the closing delimiter, or
 * undefined when the bytes are not a delimiter after all (e.g. `--boundaryX`).
 */
function delimiterEnd(buf: Buffer, at: number): number | 'close' | undefined {
  if (buf[at] === DASH && buf[at + 1] === DASH) return 'close';
  let i = at;
  while (isLinearSpace(buf[i])) i++;
  if (buf[i] === CR && buf[i + 1] === LF) return i + 2;
  if (buf[i] === LF) return i + 1;
  return undefined;
}

function parseHeaders(block: string, malformed: Invalid): Record<string, string> {
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (const line of block.split(/\r?\n/)) {
    if (line === '') continue;
    if (isLinearSpace(line.charCodeAt(0)) && last !== undefined) {
      headers[last] = `${headers[last]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`malformed multipart part header line ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === '' || /\s/.test(name)) throw malformed(`malformed multipart part header name ${JSON.stringify(name)}`);
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    last = name;
  }
  return headers;
}

/** Where a part's header block ends and its body begins; `at` is the first byte after the delimiter line. */
function headerBlock(buf: Buffer, at: number, lineBreak: string, maxHeaderBytes: number, malformed: Invalid): { headers: Record<string, string>; bodyStart: number } {
  // A part that starts with a blank line has no headers at all.
  if (buf[at] === CR && buf[at + 1] === LF) return { headers: {}, bodyStart: at + 2 };
  if (buf[at] === LF) return { headers: {}, bodyStart: at + 1 };
  const blank = `${lineBreak}${lineBreak}`;
  const end = buf.indexOf(blank, at);
  if (end < 0) throw malformed('multipart part has no blank line after its headers');
  if (end - at > maxHeaderBytes) throw malformed(`multipart part headers exceed ${maxHeaderBytes} bytes`);
  return { headers: parseHeaders(buf.subarray(at, end).toString('latin1'), malformed), bodyStart: end + blank.length };
}

/** Every part of a multipart body; throws (`limits.invalid`, default MULTIPART_MALFORMED) for anything Go's reader would reject. */
export function parseMultipart(body: Uint8Array, contentType: string, limits: MultipartLimits = {}): MultipartPart[] {
  const malformed = limits.invalid ?? defaultInvalid;
  const boundary = boundaryOf(contentType, malformed);
  const maxParts = limits.maxParts ?? 256;
  const maxHeaderBytes = limits.maxHeaderBytes ?? 65_536;
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const dashBoundary = Buffer.from(`--${boundary}`, 'latin1');

  // The first delimiter may open the body or follow a preamble line.
  let cursor = 0;
  let search = 0;
  let lineBreak = '\r\n';
  for (;;) {
    const at = buf.indexOf(dashBoundary, search);
    if (at < 0) throw malformed('multipart body has no opening delimiter');
    search = at + 1;
    if (at !== 0 && buf[at - 1] !== LF) continue;
    const end = delimiterEnd(buf, at + dashBoundary.length);
    if (end === undefined) continue;
    if (end === 'close') return [];
    lineBreak = buf[end - 2] === CR ? '\r\n' : '\n';
    cursor = end;
    break;
  }

  const delimiter = Buffer.concat([Buffer.from(lineBreak, 'latin1'), dashBoundary]);
  const parts: MultipartPart[] = [];
  for (;;) {
    const { headers, bodyStart } = headerBlock(buf, cursor, lineBreak, maxHeaderBytes, malformed);
    if (parts.length >= maxParts) throw malformed(`multipart body has more than ${maxParts} parts`);
    let bodyEnd: number;
    let next: number | 'close' | undefined;
    // Go's reader, too, takes a delimiter right after the headers as an empty body.
    const immediate = buf.subarray(bodyStart, bodyStart + dashBoundary.length).equals(dashBoundary) ? delimiterEnd(buf, bodyStart + dashBoundary.length) : undefined;
    if (immediate !== undefined) {
      bodyEnd = bodyStart;
      next = immediate;
    } else {
      let scan = bodyStart;
      for (;;) {
        const at = buf.indexOf(delimiter, scan);
        if (at < 0) throw malformed('multipart body has no closing delimiter');
        next = delimiterEnd(buf, at + delimiter.length);
        if (next !== undefined) {
          bodyEnd = at;
          break;
        }
        scan = at + 1;
      }
    }
    // A header block that swallowed a delimiter means the part had no blank line of its own.
    if (buf.subarray(cursor, bodyStart).includes(delimiter)) throw malformed('multipart part has no blank line after its headers');
    parts.push({ headers, body: new Uint8Array(buf.subarray(bodyStart, bodyEnd)) });
    if (next === 'close') return parts;
    cursor = next;
  }
}
