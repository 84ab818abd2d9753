/**
 * What "documented" means for a route (ADR 0058, plugin route schemas): a
 * summary, a tag, a response for its success status and — for routes that
 * can refuse — the refusals. The conformance test walks every route a booted
 * node registered (kernel, roles, default plugins) through this check.
 */
import { isErrorStatus, isSuccessStatus } from '@lpx/sdk';
import type { RegisteredRoute } from './route-inventory.js';

export interface RouteDocGap {
  readonly operation: string;
  readonly missing: readonly string[];
}

export interface ConformanceOptions {
  /** Whether the route must document its refusals (4xx/5xx); kernel probes such as /healthz never refuse. */
  readonly requireErrors: (operation: string) => boolean;
}

function responseKeys(schema: Readonly<Record<string, unknown>> | undefined): string[] {
  const response = schema?.['response'];
  return typeof response === 'object' && response !== null ? Object.keys(response) : [];
}

/** The parts of a route's documentation that are missing; an empty list for a documented route. */
export function missingRouteDocs(route: RegisteredRoute, requireErrors: boolean): string[] {
  const schema = route.schema;
  const missing: string[] = [];
  if (typeof schema?.['summary'] !== 'string' || (schema['summary'] as string).trim() === '') missing.push('summary');
  if (!Array.isArray(schema?.['tags']) || (schema['tags'] as unknown[]).length === 0) missing.push('tags');
  const statuses = responseKeys(schema);
  if (!statuses.some(isSuccessStatus)) missing.push('success response');
  if (requireErrors && !statuses.some(isErrorStatus)) missing.push('error responses');
  return missing;
}

/** Every route with something missing, in the inventory's order. */
export function routeDocGaps(routes: readonly RegisteredRoute[], options: ConformanceOptions): RouteDocGap[] {
  return routes.flatMap((route) => {
    const missing = missingRouteDocs(route, options.requireErrors(route.operation));
    return missing.length === 0 ? [] : [{ operation: route.operation, missing }];
  });
}
