/**
 * Documentation for routes registered elsewhere, merged into their schema as
 * fastify adds them: for route groups whose handlers parse their own input
 * (raw bodies, proxied requests), a table next to the group says what each
 * route is without touching the registration calls. Only describing keys are
 * taken, so nothing here can change validation (docs/adr/0058).
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Status → response object (see problem-schema.ts); documentation only on these servers. */
  readonly response?: Readonly<Record<number | string, unknown>>;
}

/** `POST /path` as fastify names it (full url, `:params`); `ALL /path` for `app.all` routes. */
export type RouteDocTable = Readonly<Record<string, RouteDoc>>;

function keyOf(route: RouteOptions): string {
  return `${Array.isArray(route.method) ? 'ALL' : route.method} ${route.url}`;
}

/** Call on the scope before its routes are added; routes missing from the table are left as they are. */
export function documentRoutes(scope: FastifyInstance, table: RouteDocTable): void {
  scope.addHook('onRoute', (route) => {
    const doc = table[keyOf(route)];
    if (doc === undefined) return;
    route.schema = { ...doc, ...(route.schema ?? {}) } as RouteOptions['schema'];
  });
}
