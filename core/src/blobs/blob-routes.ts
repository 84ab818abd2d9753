import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { BlobStore } from './blob-store.js';
import { blobRouteSchema } from '../http/openapi/kernel-route-schemas.js';

function tokenOf(request: FastifyRequest<{ Querystring: { token?: string } }>): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^Bearer /i.test(header)) return header.slice('Bearer '.length).trim();
  return request.query.token;
}

/**
 * `GET /v1/blobs/<id>` on the node's HTTP edge: how processes on other
 * machines read the blobs this node stored. The reference's token is the
 * credential (Authorization: Bearer, or `?token=` for clients that can only
 * follow a URL); errors are problem+json with LPX_ERR_BLOBS_* codes.
 */
export function registerBlobRoutes(app: FastifyInstance, store: BlobStore): void {
  app.get<{ Params: { id: string }; Querystring: { token?: string } }>('/v1/blobs/:id', { schema: blobRouteSchema }, async (request, reply) => {
    const blob = await store.openWithToken(request.params.id, tokenOf(request));
    return reply
      .header('content-type', blob.meta.contentType)
      .header('content-length', String(blob.meta.size))
      .header('cache-control', 'private, no-store')
      // The content type may come from whoever stored the blob: never let a browser run it on this origin.
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(blob.stream);
  });
}
