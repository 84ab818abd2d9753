import type { FastifyInstance } from 'fastify';
import { assembleNodeStatus, type NodeStatusSources } from './node-status.js';
import { statusRouteSchema } from '../observability-route-schemas.js';

/**
 * `GET /status`: the node at a glance as JSON (status-types.ts), read by the
 * dashboard every few seconds and usable by scripts. Read-only and cheap: no
 * Redis round trip, at most one cached chain read.
 */
export function registerStatusRoute(app: FastifyInstance, sources: NodeStatusSources): void {
  app.get('/status', { schema: statusRouteSchema }, async (_request, reply) => reply.header('cache-control', 'no-store').send(await assembleNodeStatus(sources)));
}
