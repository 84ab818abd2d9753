/**
 * Which methods each route path takes, so a request for a known path with the
 * wrong method is a 405 with an Allow header instead of fastify's 404.
 * Collected from onRoute on the root, which also sees routes registered in
 * encapsulated contexts (plugins, prefixes).
 */
import type { FastifyInstance } from 'fastify';

interface RoutePattern {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

const PARAM = /:[A-Za-z0-9_]+(\([^)]*\))?/g;

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A route path as a regexp over concrete paths: `:name`, `:name(re)` and `*` each stand for some text. */
function toRegExp(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      let out = '';
      let last = 0;
      for (const match of segment.matchAll(PARAM)) {
        out += `${escapeLiteral(segment.slice(last, match.index))}[^/]+`;
        last = match.index + match[0].length;
      }
      return out + escapeLiteral(segment.slice(last)).replace(/\\\*$/, '.*');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

export class RouteMethods {
  readonly #routes = new Map<string, RoutePattern>();

  /** Call right after creating the instance, before any route is added. */
  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      let entry = this.#routes.get(route.url);
      if (entry === undefined) {
        entry = { pattern: toRegExp(route.url), methods: new Set() };
        this.#routes.set(route.url, entry);
      }
      for (const method of methods) entry.methods.add(method.toUpperCase());
    });
  }

  /** The methods some route takes at `path` (no query), or an empty list when no route has the path. */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const { pattern, methods: taken } of this.#routes.values()) {
      if (pattern.test(path)) for (const method of taken) methods.add(method);
    }
    return [...methods].sort();
  }
}
