/**
 * go-livepeer's HTTP habits on the worker routes: refusals as Go's
 * `http.Error` writes them (plain text plus a newline, which workers log as
 * the reason), and bodies read only after the headers were accepted, up to a
 * limit, so a refused worker never makes us buffer hundreds of MB.
 */
import type { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/** The scope a wire plugin gets (the sdk names the plugin type, not the instance). */
export type FastifyScope = Parameters<FastifyPluginAsync>[0];

/** go-livepeer's common.MaxSegSize: 5 minutes at 8 Mbps. */
export const MAX_RESULT_BODY_BYTES = 300_000_000;
export const INTERNAL_ERROR_TEXT = 'Internal Server Error';

export function sendPlainError(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(`${text}\n`);
}

/** Call on an encapsulated scope only: it replaces that scope's parsers with one that hands the stream through. */
export function passBodyThrough(scope: FastifyScope): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`input bigger than max buffer size ${limit}`);
  }
}

/** The request body, at most `limit` bytes (Go's ReadAtMost); a declared length over the limit fails before reading. */
export async function readRequestBody(request: FastifyRequest, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const body = request.body;
  const stream = body !== null && typeof body === 'object' && typeof (body as Readable).pipe === 'function' ? (body as Readable) : (request.raw as unknown as Readable);
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
