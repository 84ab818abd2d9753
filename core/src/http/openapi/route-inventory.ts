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

export class RouteInventory {
  readonly #routes = new Set<string>();

  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      // fastify adds a HEAD route next to every GET; documents list the GET only.
      if (route.method === 'HEAD') return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) this.#routes.add(`${method.toUpperCase()} ${openApiPath(route.url)}`);
    });
  }

  routes(): string[] {
    return [...this.#routes].sort();
  }
}
