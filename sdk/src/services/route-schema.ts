/**
 * Route schemas for plugin HTTP routes (`http.route`, `http.register`,
 * `orchestratorWire.route/register`): what a route is, what it takes and
 * what it answers, so the node's `GET /openapi.json` says something useful
 * about it (docs/adr/0058-openapi-documents.md). The kernel documents its own
 * routes with the same pieces, so a plugin's refusals are described by the
 * one problem+json schema every lpx refusal follows.
 *
 * On the node's servers response schemas are documentation only: replies are
 * written with JSON.stringify whatever the schema says. Request schemas
 * (`params`, `querystring`, `headers`, `body`) are validated by fastify as
 * usual; a handler that reads its body itself (raw bytes, a stream, JSON it
 * checks with its own coded refusals) describes it with `requestBody`, which
 * is documentation only.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifySchema } from 'fastify';
import { errors } from '../errors/catalogue.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream';

/**
 * RFC 9457 problem details as lpx writes them (core/src/http/problem-json.ts);
 * extra members (`details`, ...) allowed. A plain JSON Schema literal (not
 * built with TypeBox) so the committed OpenAPI snapshots keep their key order.
 */
export const problemSchema = {
  type: 'object',
  additionalProperties: true,
  description: 'RFC 9457 problem details; `code` is an LPX_ERR_* code from docs/errors.md.',
  required: ['type', 'title', 'status', 'detail', 'code', 'instance'],
  properties: {
    type: { type: 'string', example: 'about:blank' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', pattern: '^LPX_ERR_' },
    instance: { type: 'string' },
  },
} as const;

/** A JSON Schema: a TypeBox schema or a plain object. */
export type JsonSchema = TSchema | Readonly<Record<string, unknown>>;

/** One documented response: a description and a body per content type (none for 204 and the like). */
export interface ContentResponse {
  readonly description: string;
  readonly content?: Readonly<Record<string, { readonly schema: JsonSchema }>>;
}

/** One response whose body is a problem+json document. */
export function problemResponse(description: string): ContentResponse {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };
}

/** `{ 404: problem, 503: problem }` from `{ 404: 'why', 503: 'why' }`. */
export function problemResponses(statuses: Readonly<Record<number, string>>): Record<number, ContentResponse> {
  return Object.fromEntries(Object.entries(statuses).map(([status, why]) => [Number(status), problemResponse(why)]));
}

/** A response with a body of `contentType` described by `schema` (binary by default). */
export function contentResponse(description: string, contentType: string, schema: JsonSchema = { type: 'string', format: 'binary' }): ContentResponse {
  return { description, content: { [contentType]: { schema } } };
}

/**
 * A JSON response. Object schemas should allow additional properties: on a
 * fastify instance without the kernel's documentation-only serializer (a unit
 * test's bare instance), fastify would otherwise drop the undeclared fields.
 */
export function jsonResponse(description: string, schema: JsonSchema): ContentResponse {
  return contentResponse(description, 'application/json', schema);
}

/** Bytes (segments, media, protobuf messages): `application/octet-stream` unless the route says which type. */
export function binaryResponse(description: string, contentType = 'application/octet-stream'): ContentResponse {
  return contentResponse(description, contentType);
}

/** A plain-text body, as go-livepeer's wire routes answer their own refusals. */
export function textResponse(description: string): ContentResponse {
  return contentResponse(description, 'text/plain', { type: 'string' });
}

/** An HTML page. */
export function htmlResponse(description: string): ContentResponse {
  return contentResponse(description, 'text/html', { type: 'string' });
}

/** Server-Sent Events: `event:` / `data:` lines for as long as the connection lasts. */
export function eventStreamResponse(description: string): ContentResponse {
  return contentResponse(description, EVENT_STREAM_CONTENT_TYPE, { type: 'string', description: 'A text/event-stream body.' });
}

/** A response without a body (204, a redirect, ...). */
export function emptyResponse(description: string): ContentResponse {
  return { description };
}

/** Any JSON value, for bodies a route passes through unchanged. */
export const anyJson = { description: 'Any JSON value.' } as const;

/** Where routeSchema keeps a documentation-only request body; installOpenApi moves it into the document. */
export const DOCUMENTED_REQUEST_BODY_KEY = 'x-lpx-request-body';

export interface RouteSchemaInput {
  /** One line: what the route does. */
  readonly summary: string;
  readonly description?: string;
  /** At least one: the plugin's id is a good tag. */
  readonly tags: readonly [string, ...string[]];
  /** Path parameters (fastify validates: declare them as strings). */
  readonly params?: JsonSchema;
  /** Validated by fastify; keep it no stricter than what the handler accepts. */
  readonly querystring?: JsonSchema;
  readonly headers?: JsonSchema;
  /** A JSON body fastify parses and validates before the handler runs (refusals: 400 LPX_ERR_HTTP_BAD_REQUEST). */
  readonly body?: JsonSchema;
  /**
   * A body the handler reads and checks itself, per content type — documentation only, never
   * validated (raw bytes, streams, JSON refused with the plugin's own codes). Not with `body`.
   */
  readonly requestBody?: { readonly description?: string; readonly content: Readonly<Record<string, JsonSchema>> };
  /**
   * Status → response: the success status(es) and every refusal the route answers with
   * (`...problemResponses({ 400: 'why' })`). `'default'`, `'4xx'`, `'5xx'` are allowed.
   */
  readonly response: Readonly<Record<number | string, ContentResponse>>;
  readonly deprecated?: boolean;
}

/** True for a 2xx/3xx status (or range) key of a response table. */
export function isSuccessStatus(status: string): boolean {
  return /^[23](\d\d|xx)$/i.test(status);
}

/** True for a 4xx/5xx status (or range) key, or `default`. */
export function isErrorStatus(status: string): boolean {
  return /^[45](\d\d|xx)$/i.test(status) || status === 'default';
}

/**
 * A route's schema, to pass as `schema` in `http.route({ ..., schema })`,
 * `scope.post(url, { schema }, handler)` or `orchestratorWire.route(...)`.
 * Throws LPX_ERR_PLUGIN_REGISTER_INVALID for a schema that cannot document a
 * route (no summary, no tag, no success response, or both `body` and
 * `requestBody`): a plugin author's mistake, caught when the routes are built.
 */
export function routeSchema(input: RouteSchemaInput): FastifySchema {
  const statuses = Object.keys(input.response);
  const refuse = (why: string) => errors.plugin.REGISTER_INVALID.create(`routeSchema (${input.summary || 'no summary'}): ${why}`);
  if (input.summary.trim() === '') throw refuse('summary is required');
  if (input.tags.length === 0) throw refuse('at least one tag is required');
  if (!statuses.some(isSuccessStatus)) throw refuse('no 2xx/3xx response documented');
  if (input.body !== undefined && input.requestBody !== undefined) throw refuse('body (validated) and requestBody (documented) exclude each other');
  const requestBody =
    input.requestBody === undefined
      ? {}
      : { [DOCUMENTED_REQUEST_BODY_KEY]: { ...(input.requestBody.description === undefined ? {} : { description: input.requestBody.description }), content: Object.fromEntries(Object.entries(input.requestBody.content).map(([type, schema]) => [type, { schema }])) } };
  // summary, tags and the OpenAPI keys are @fastify/swagger's additions to FastifySchema: typed as such
  // only where that package's augmentation is loaded, which the packed sdk compiles without.
  const schema: Record<string, unknown> = {
    summary: input.summary,
    ...(input.description === undefined ? {} : { description: input.description }),
    tags: [...input.tags],
    ...(input.params === undefined ? {} : { params: input.params }),
    ...(input.querystring === undefined ? {} : { querystring: input.querystring }),
    ...(input.headers === undefined ? {} : { headers: input.headers }),
    ...(input.body === undefined ? {} : { body: input.body }),
    ...requestBody,
    ...(input.deprecated === true ? { deprecated: true } : {}),
    response: { ...input.response },
  };
  return schema as FastifySchema;
}
