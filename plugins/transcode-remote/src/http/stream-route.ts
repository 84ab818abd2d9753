/**
 * `GET /stream/<sessionId>/<name...>`: serves the source store,
 * unauthenticated like go-livepeer's memory OS — transcoders fetch sources
 * from it, and the paths hold unguessable session ids.
 */
import { sendPlainError, type FastifyScope } from '@lpx/sdk/wire-kit';
import type { SegmentStore } from './segment-store.js';
import { streamSchema } from './route-schemas.js';

export const STREAM_PATH_PREFIX = '/stream/';

export function registerStreamRoute(app: FastifyScope, store: SegmentStore): void {
  app.get(`${STREAM_PATH_PREFIX}*`, { schema: streamSchema }, async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const found = path.startsWith(STREAM_PATH_PREFIX) ? store.get(path.slice(STREAM_PATH_PREFIX.length)) : undefined;
    if (found === undefined) return sendPlainError(reply, 404, '404 page not found');
    return reply.code(200).header('content-type', found.contentType).send(Buffer.from(found.data.buffer, found.data.byteOffset, found.data.byteLength));
  });
}
