/**
 * OpenAPI 3 documents of the node's HTTP servers (ADR 0058): @fastify/swagger
 * collects every route fastify registers — the kernel's, the roles', the
 * plugins' through their HTTP facade — with its route schema, and the server
 * serves the result at `GET /openapi.json`. Nothing is hand-written: a route
 * without a schema still appears (its path, method and parameters), a route
 * with one is documented by it.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { DOCUMENTED_REQUEST_BODY_KEY, HOST_API_VERSION } from '@lpx/sdk';
import { jsonResponse } from './problem-schema.js';
import { RouteInventory, withoutTrailingSlash, type RegisteredRoute } from './route-inventory.js';

export const OPENAPI_PATH = '/openapi.json';

/** The path item keys OpenAPI 3.0 knows; fastify also takes QUERY, PROPFIND, ... (`app.all`). */
const PATH_ITEM_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Where a document lists the methods OpenAPI 3.0 cannot name (for `app.all` routes). */
export const OTHER_METHODS_KEY = 'x-lpx-other-methods';

export interface OpenApiInfo {
  readonly title: string;
  readonly description: string;
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly paths: Record<string, Record<string, unknown>>;
  readonly [key: string]: unknown;
}

const inventories = new WeakMap<FastifyInstance, RouteInventory>();

// Response schemas here are documentation: replies keep being written with JSON.stringify, as
// they were before any route had a schema, so documenting a route never changes what it sends.
const documentationOnly = () => (data: unknown) => JSON.stringify(data);

/**
 * A request body a handler reads itself (routeSchema's `requestBody`) is kept out of
 * `schema.body`, where fastify would validate it; the document shows it as the body.
 */
function documentRequestBody({ schema, url }: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  const declared = (schema as Record<string, unknown> | undefined)?.[DOCUMENTED_REQUEST_BODY_KEY];
  if (declared === undefined) return { schema, url };
  const { [DOCUMENTED_REQUEST_BODY_KEY]: _documented, ...rest } = schema as Record<string, unknown>;
  return { schema: { ...rest, body: declared } as FastifySchema, url };
}

/**
 * Call on a fresh instance before any route is added (the swagger plugin and
 * the inventory see routes through onRoute); awaits the plugin so later
 * top-level routes are collected too.
 */
export async function installOpenApi(app: FastifyInstance, info: OpenApiInfo): Promise<void> {
  const inventory = new RouteInventory();
  inventory.install(app);
  inventories.set(app, inventory);
  app.setSerializerCompiler(documentationOnly);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: info.title, description: info.description, version: HOST_API_VERSION },
    },
    transform: documentRequestBody,
  });
  app.get(
    OPENAPI_PATH,
    {
      schema: {
        summary: 'This OpenAPI document',
        description: 'Every route this server has registered, generated from the route schemas at boot (plugins included).',
        tags: ['node'],
        response: { 200: jsonResponse('An OpenAPI 3.0 document.', { type: 'object', additionalProperties: true }) },
      },
    },
    async () => openApiDocument(app),
  );
}

/** The document of a ready instance on which installOpenApi ran. */
export function openApiDocument(app: FastifyInstance): OpenApiDocument {
  const raw = (app as unknown as { swagger(): OpenApiDocument }).swagger();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(raw.paths ?? {})) {
    const kept: Record<string, unknown> = {};
    const other: string[] = [];
    for (const [key, value] of Object.entries(item)) {
      if (PATH_ITEM_METHODS.has(key) || !/^[a-z]+$/.test(key)) kept[key] = value;
      else other.push(key.toUpperCase());
    }
    if (other.length > 0) kept[OTHER_METHODS_KEY] = other.sort();
    paths[path] = kept;
  }
  return { ...raw, paths };
}

/** `METHOD /path` for every route the instance registered (the inventory installOpenApi attached). */
export function registeredRoutes(app: FastifyInstance): string[] {
  const inventory = inventories.get(app);
  if (inventory === undefined) throw new Error('installOpenApi was not called on this instance');
  return inventory.routes();
}

/** Every registered route with the schema it ended up with (after every onRoute hook). */
export function registeredRouteSchemas(app: FastifyInstance): RegisteredRoute[] {
  const inventory = inventories.get(app);
  if (inventory === undefined) throw new Error('installOpenApi was not called on this instance');
  return inventory.entries();
}

/** `METHOD /path` for every operation a document lists. */
export function documentedRoutes(document: OpenApiDocument): string[] {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [key, value] of Object.entries(item)) {
      if (PATH_ITEM_METHODS.has(key)) out.add(`${key.toUpperCase()} ${withoutTrailingSlash(path)}`);
      else if (key === OTHER_METHODS_KEY) for (const method of value as string[]) out.add(`${method} ${withoutTrailingSlash(path)}`);
    }
  }
  return [...out].sort();
}
