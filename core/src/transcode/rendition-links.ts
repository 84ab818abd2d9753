/**
 * Rendition URLs on the orchestrator's front door: `GET /v1/blobs/<id>?token=`
 * with a token the orchestrator signs. The bytes may sit on this node's blob
 * store or on the worker's that made them; the orchestrator remembers each
 * rendition's reference for as long as its job is kept and proxies it, so a
 * gateway only ever talks to the orchestrator it paid (as with go-livepeer).
 */
import type { FastifyInstance } from 'fastify';
import { errors } from '@lpx/sdk';
import type { BlobRef, BlobStore } from '../blobs/index.js';
import { blobRouteSchema } from '../http/openapi/kernel-route-schemas.js';

/** Completed transcode jobs are kept 1 h (the jobs kernel's retention); their renditions no longer. */
export const RENDITION_LINK_TTL_MS = 3_600_000;
const MAX_REMEMBERED = 100_000;

export class RenditionLinks {
  readonly #store: BlobStore;
  readonly #refs = new Map<string, { ref: BlobRef; expiresAt: number }>();
  readonly #now: () => number;

  constructor(store: BlobStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /** A URL on `baseUrl` (the front door) that serves `ref` until the link expires. */
  link(baseUrl: string, ref: BlobRef): string {
    this.#prune();
    const expiresAt = this.#now() + RENDITION_LINK_TTL_MS;
    this.#refs.set(ref.id, { ref, expiresAt });
    const { token } = this.#store.refFor({ id: ref.id, size: ref.size, contentType: ref.contentType, expiresAt });
    return `${baseUrl.replace(/\/+$/, '')}/v1/blobs/${ref.id}?token=${encodeURIComponent(token)}`;
  }

  register(app: FastifyInstance): void {
    app.get<{ Params: { id: string }; Querystring: { token?: string } }>('/v1/blobs/:id', { schema: blobRouteSchema }, async (request, reply) => {
      const blob = await this.#open(request.params.id, request.query.token);
      return reply
        .header('content-type', blob.meta.contentType)
        .header('content-length', String(blob.meta.size))
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(blob.stream);
    });
  }

  async #open(id: string, token: string | undefined) {
    try {
      // Verifies our token first, then serves a blob that is on this node's store.
      return await this.#store.openWithToken(id, token);
    } catch (error) {
      if (!errors.blobs.NOT_FOUND.is(error)) throw error;
      const remembered = this.#refs.get(id);
      if (remembered === undefined || remembered.expiresAt <= this.#now()) throw error;
      return this.#store.open(remembered.ref);
    }
  }

  #prune(): void {
    const now = this.#now();
    for (const [id, entry] of this.#refs) {
      if (entry.expiresAt > now && this.#refs.size < MAX_REMEMBERED) break;
      this.#refs.delete(id);
    }
  }
}
