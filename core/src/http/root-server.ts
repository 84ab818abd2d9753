import { LogController, fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { installProblemJson, problemJsonServerOptions } from './problem-json.js';
import { registerBlobRoutes, type BlobStore } from '../blobs/index.js';
import { registerEventsRoute } from '../observability/events-route.js';
import { installOpenApi, jsonResponse, contentResponse } from './openapi/index.js';
import { lazyChildLoggerFactory } from './lazy-request-logger.js';

export interface RootServerOptions {
  logger: Logger;
  metrics: Registry;
  bodyLimitBytes: number;
  /** Ready means: booted and every readiness probe (Redis ping, ...) passes. */
  readiness: () => Promise<{ ready: boolean; checks: Record<string, string> }>;
  /** Served at GET /v1/blobs/<id> to token holders (workers on other machines). */
  blobs?: BlobStore;
  /** /events tuning (heartbeat, slow-client bound); defaults suit production. */
  events?: { heartbeatMs?: number; maxBufferedBytes?: number };
}

const readySchema = {
  type: 'object',
  additionalProperties: true,
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not-ready'] },
    checks: { type: 'object', additionalProperties: { type: 'string' }, description: 'boot state, redis, revoked plugins' },
  },
};

/** The node's single HTTP edge: health, readiness, metrics, the event stream, its OpenAPI document and problem+json errors. */
export async function createRootServer(options: RootServerOptions): Promise<FastifyInstance> {
  const app = fastify({
    loggerInstance: options.logger.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    // Per-request logs at info would drown a busy node; errors are still logged by the problem+json handler.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLoggerFactory,
    // Bad URLs and malformed HTTP are refused before routing: problem+json there too.
    ...problemJsonServerOptions,
  }) as unknown as FastifyInstance;
  installProblemJson(app);
  await installOpenApi(app, { title: 'lpx node HTTP edge', description: "The node's HTTP port (`http.port`): kernel, role and plugin routes. Errors are application/problem+json with LPX_ERR_* codes." });
  const node = { tags: ['node'] };
  app.get('/healthz', { schema: { ...node, summary: 'Liveness: the process answers', response: { 200: jsonResponse('Alive.', { type: 'object', additionalProperties: true, properties: { status: { type: 'string', enum: ['ok'] } } }) } } }, async () => ({ status: 'ok' }));
  const readyz = { ...node, summary: 'Readiness: booted and every probe (Redis, ...) passes', response: { 200: jsonResponse('Ready.', readySchema), 503: jsonResponse('Not ready; `checks` says why.', readySchema) } };
  app.get('/readyz', { schema: readyz }, async (_request, reply) => {
    const result = await options.readiness();
    return reply.status(result.ready ? 200 : 503).send({ status: result.ready ? 'ready' : 'not-ready', checks: result.checks });
  });
  const metrics = { ...node, summary: 'Prometheus metrics', response: { 200: contentResponse('Prometheus text exposition format.', 'text/plain', { type: 'string' }) } };
  app.get('/metrics', { schema: metrics }, async (_request, reply) => reply.type(options.metrics.contentType).send(await options.metrics.metrics()));
  // Job and payment events as SSE (ADR 0056), from the bus of this node's Registry.
  registerEventsRoute(app, { metrics: options.metrics, ...options.events });
  if (options.blobs) registerBlobRoutes(app, options.blobs);
  return app;
}
