/**
 * The HTTP side of remote transcoding, mounted on the orchestrator's front
 * door: /transcodeResults for transcoders and /stream/... for the store.
 */
import type { FastifyInstance } from 'fastify';
import type { RemoteTranscoderPool } from './remote-transcoder-pool.js';
import type { SegmentStore } from './segment-store.js';
import { registerStreamRoute } from './stream-route.js';
import { registerTranscodeResultsRoute } from './transcode-results-route.js';

export interface RemoteTranscoderRouteDeps {
  readonly pool: RemoteTranscoderPool;
  readonly store: SegmentStore;
  /** /transcodeResults body limit; default 300,000,000 bytes. */
  readonly maxResultBytes?: number;
}

export function registerRemoteTranscoderRoutes(app: FastifyInstance, deps: RemoteTranscoderRouteDeps): void {
  registerTranscodeResultsRoute(app, { pool: deps.pool, ...(deps.maxResultBytes !== undefined ? { maxBodyBytes: deps.maxResultBytes } : {}) });
  registerStreamRoute(app, deps.store);
}
