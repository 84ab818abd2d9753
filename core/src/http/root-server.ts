import { LogController, fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { installProblemJson, problemJsonServerOptions } from './problem-json.js';
import { registerBlobRoutes, type BlobStore } from '../blobs/index.js';
import { registerEventsRoute } from '../observability/events-route.js';

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

/** The node's single HTTP edge: health, readiness, metrics, the event stream and problem+json errors. */
export function createRootServer(options: RootServerOptions): FastifyInstance {
  const app = fastify({
    loggerInstance: options.logger.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    // Per-request logs at info would drown a busy node; errors are still logged by the problem+json handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Bad URLs and malformed HTTP are refused before routing: problem+json there too.
    ...problemJsonServerOptions,
  }) as unknown as FastifyInstance;
  installProblemJson(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const result = await options.readiness();
    return reply.status(result.ready ? 200 : 503).send({ status: result.ready ? 'ready' : 'not-ready', checks: result.checks });
  });
  app.get('/metrics', async (_request, reply) => reply.type(options.metrics.contentType).send(await options.metrics.metrics()));
  // Job and payment events as SSE (ADR 0056), from the bus of this node's Registry.
  registerEventsRoute(app, { metrics: options.metrics, ...options.events });
  if (options.blobs) registerBlobRoutes(app, options.blobs);
  return app;
}
