/**
 * Builds a multipart/mixed body the way Go's mime/multipart writer lays it
 * out, so a go-livepeer reader (or ours) sees the same bytes.
 */
import { networkErrors } from '../network-errors.js';
import { isValidBoundary, randomBoundary } from './boundary.js';

export interface MultipartPartInput {
  /** Written in insertion order, names as given. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function buildMultipart(parts: readonly MultipartPartInput[], boundary: string = randomBoundary()): { body: Uint8Array; contentType: string } {
  if (!isValidBoundary(boundary)) throw networkErrors.MULTIPART_MALFORMED.create(`multipart boundary ${JSON.stringify(boundary)} is not a valid boundary`);
  const chunks: Buffer[] = [];
  parts.forEach((part, index) => {
    chunks.push(Buffer.from(`${index === 0 ? '' : '\r\n'}--${boundary}\r\n`, 'latin1'));
    for (const [name, value] of Object.entries(part.headers)) {
      // A line break in a header would let one part forge another's headers.
      if (!HEADER_NAME.test(name) || /[\r\n]/.test(value)) throw networkErrors.MULTIPART_MALFORMED.create(`multipart part header ${JSON.stringify(name)} is not a valid header`);
      chunks.push(Buffer.from(`${name}: ${value}\r\n`, 'latin1'));
    }
    chunks.push(Buffer.from('\r\n', 'latin1'), Buffer.from(part.body.buffer, part.body.byteOffset, part.body.byteLength));
  });
  chunks.push(Buffer.from(`${parts.length === 0 ? '' : '\r\n'}--${boundary}--\r\n`, 'latin1'));
  return { body: new Uint8Array(Buffer.concat(chunks)), contentType: `multipart/mixed; boundary=${boundary}` };
}
