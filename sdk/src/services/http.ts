import type { FastifyPluginAsync, RouteOptions, onRequestHookHandler } from 'fastify';

/**
 * A facade over fastify: calls are recorded during init and replayed inside the
 * plugin's own encapsulated scope under `/plugins/<id>` (or the prefix the
 * plugin was granted). A plugin never sees the root instance.
 */
export interface HttpService {
  readonly prefix: string;
  route(options: RouteOptions): void;
  register(plugin: FastifyPluginAsync): void;
  addHook(name: 'onRequest', hook: onRequestHookHandler): void;
  /**
   * A route at the root of the HTTP edge instead of under the prefix, for
   * paths other software expects (go-livepeer's `/live/...` ingest, HLS
   * `/stream/...`). It still runs in the plugin's encapsulated context.
   * Kernel paths (`/v1`, `/plugins`, `/healthz`, `/readyz`, `/metrics`, `/status`, `/dashboard`) are
   * refused with LPX_ERR_HTTP_ROOT_ROUTE_RESERVED, except OpenAI's namespaces
   * under /v1 (`/v1/models`, `/v1/chat`, `/v1/audio`, `/v1/images`, ...),
   * which the kernel leaves to plugins (ADR 0035).
   */
  rootRoute(options: RouteOptions): void;
}

export type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
