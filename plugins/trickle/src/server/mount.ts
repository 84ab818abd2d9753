/**
 * Mounts the trickle routes on a fastify scope (the orchestrator's front
 * door): every method under the base path is handed, raw, to the protocol
 * handler, which writes its own response (fastify's reply is hijacked: the
 * headers depend on the first byte, and bodies stream both ways).
 */
import { TRICKLE_HTTP_PATH } from '@lpx/sdk/trickle-kit';
import { passBodyThrough, type FastifyScope } from '@lpx/sdk/wire-kit';
import { handleTrickle, type HandlerOptions } from './http-handler.js';
import type { TrickleServer } from './trickle-server.js';
import { trickleRouteSchema } from './route-schema.js';

export function mountTrickle(scope: FastifyScope, server: TrickleServer, options: HandlerOptions & { readonly basePath?: string } = {}): void {
  const base = options.basePath ?? TRICKLE_HTTP_PATH;
  // The scope is the plugin's own: its parsers hand bodies through untouched, whatever their type.
  passBodyThrough(scope);
  scope.route({
    method: ['GET', 'POST', 'DELETE'],
    url: `${base}*`,
    schema: trickleRouteSchema,
    handler: (request, reply) => {
      reply.hijack();
      const path = request.url.split('?', 1)[0]!;
      return handleTrickle(server, request.raw, reply.raw, path.slice(base.length), options);
    },
  });
}
