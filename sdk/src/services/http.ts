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
}

export type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
