/**
 * Root routes share the kernel's body parsers (JSON, text) and its edge-wide
 * body limit; an audio upload is multipart and may be larger. So the
 * transcription route reads its body in a `preParsing` hook under its own
 * limit (413 before reading when Content-Length says so) and then tells
 * fastify the body is consumed, so no parser runs.
 */
import type { Readable } from 'node:stream';
import { errors, type FastifyRequest } from '@lpx/sdk';

const uploads = new WeakMap<FastifyRequest, Buffer>();

export function uploadOf(request: FastifyRequest): Buffer {
  return uploads.get(request) ?? Buffer.alloc(0);
}

export async function readUpload(request: FastifyRequest, payload: Readable, limit: number): Promise<void> {
  const headers = request.raw.headers;
  const declared = Number(headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  uploads.set(request, await readAtMost(payload, limit));
  // Keep the type for the form parser, but on our own copy: fastify must see no body.
  (request as { uploadType?: string }).uploadType = headers['content-type'];
  delete headers['transfer-encoding'];
  headers['content-length'] = '0';
  delete headers['content-type'];
}

export function uploadTypeOf(request: FastifyRequest): string {
  return (request as { uploadType?: string }).uploadType ?? '';
}

/** Stops reading past the limit without destroying the socket, so the 413 still reaches the client. */
function readAtMost(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => (done(), resolve(Buffer.concat(chunks, size)));
    const onError = (error: Error) => (done(), reject(error));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

function tooLarge(limit: number) {
  return errors.http.BODY_TOO_LARGE.create(`an audio upload may be at most ${limit} bytes (maxAudioBytes)`, { details: { limit, param: 'file' } });
}
