/**
 * Reading a pushed segment. Root routes share the kernel's fastify parsers
 * (JSON, text) and its global body limit; a segment is neither. So the push
 * route reads the body itself in a `preParsing` hook, under the ingest's own
 * limit and content-type rule, and then tells fastify the body is already
 * consumed (no Content-Type, length 0) so no parser runs.
 */
import type { Readable } from 'node:stream';
import { errors, type FastifyRequest } from '@lpx/sdk';

/** What go-livepeer's pushers send (or nothing at all, which is what ffmpeg and curl -T send). */
const ACCEPTED_TYPES = new Set(['video/mp2t', 'video/mp4', 'application/octet-stream', 'video/vnd.dlna.mpeg-tts']);

const bodies = new WeakMap<FastifyRequest, Buffer>();

/** The segment read by `readSegmentBody`. */
export function segmentBody(request: FastifyRequest): Buffer {
  return bodies.get(request) ?? Buffer.alloc(0);
}

/** Refuses a wrong Content-Type (415) or an over-limit body (413, before reading when declared). */
export async function readSegmentBody(request: FastifyRequest, payload: Readable, limit: number): Promise<void> {
  const headers = request.raw.headers;
  const type = headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();
  if (type !== undefined && type !== '' && !ACCEPTED_TYPES.has(type)) {
    throw errors.ingest.CONTENT_TYPE.create(`a pushed segment must be video/mp2t, video/mp4 or application/octet-stream, got ${type}`, { details: { contentType: type } });
  }
  const declared = Number(headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  bodies.set(request, await readAtMost(payload, limit));
  delete headers['content-type'];
  delete headers['transfer-encoding'];
  headers['content-length'] = '0';
}

/** Stops listening past the limit without destroying the socket, so the 413 still reaches the pusher. */
function readAtMost(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

function tooLarge(limit: number) {
  return errors.ingest.SEGMENT_TOO_LARGE.create(`a pushed segment may be at most ${limit} bytes (maxSegmentBytes)`, { details: { limit } });
}
