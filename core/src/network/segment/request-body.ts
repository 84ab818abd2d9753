/**
 * Segment bodies are read only after the credentials and the payment have
 * been accepted, as go-livepeer does: a refused gateway never makes us buffer
 * up to 300 MB. Fastify would parse first, so the route's scope replaces every
 * body parser with one that hands the stream through untouched.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';

/** go-livepeer's common.MaxSegSize: 5 minutes at 8 Mbps. */
export const MAX_SEGMENT_BODY_BYTES = 300_000_000;

/** Call on an encapsulated scope only: it removes that scope's parsers. */
export function passBodyThrough(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`input bigger than max buffer size ${limit}`);
  }
}

/** Reads a stream to the end; more than `limit` bytes is an error (Go's ReadAtMost). */
export async function readAtMost(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > limit) {
      stream.destroy();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

/** The request body, at most `limit` bytes; a declared length over the limit fails before reading. */
export async function readRequestBody(request: FastifyRequest, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const body = request.body;
  const stream = body !== null && typeof body === 'object' && typeof (body as Readable).pipe === 'function' ? (body as Readable) : request.raw;
  return readAtMost(stream, limit);
}
