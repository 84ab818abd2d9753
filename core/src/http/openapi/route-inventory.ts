/**
 * What fastify actually registered, in OpenAPI's path syntax: the other side
 * of the drift check between a server's routes and its /openapi.json.
 */
import type { FastifyInstance } from 'fastify';

/**
 * fastify's `/a/:id`, `/a/:id(^\d+$)`, `/a/*` and `/a::verb` as OpenAPI writes them: `/a/{id}`, `/a/{*}`, `/a:verb`.
 * A trailing slash is dropped: a prefixed plugin's `/` route answers with and without it.
 */
export function openApiPath(url: string): string {
  return withoutTrailingSlash(url)
    .replace(/::/g, '\u0000')
    .replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}')
    .replace(/\*/g, '{*}')
    .replace(/\u0000/g, ':');
}

export function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** One operation fastify registered: `METHOD /path` and the route's schema. */
export interface RegisteredRoute {
  readonly operation: string;
  readonly schema: Readonly<Record<string, unknown>> | undefined;
}

export class RouteInventory {
  // The route options object itself: onRoute hooks of inner scopes (documentRoutes) may still
  // replace its schema after this hook ran, so it is read when asked for.
  readonly #routes = new Map<string, { schema?: unknown }>();

  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      // fastify adds a HEAD route next to every GET; documents list the GET only.
      if (route.method === 'HEAD') return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) this.#routes.set(`${method.toUpperCase()} ${openApiPath(route.url)}`, route);
    });
  }

  routes(): string[] {
    return [...this.#routes.keys()].sort();
  }

  entries(): RegisteredRoute[] {
    return this.routes().map((operation) => ({ operation, schema: this.#routes.get(operation)!.schema as RegisteredRoute['schema'] }));
  }
}
