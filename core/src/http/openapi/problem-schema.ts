/**
 * Route-schema pieces shared by every documented route: the problem+json body
 * every refusal carries (core/src/http/problem-json.ts) and helpers that say
 * which statuses a route answers with one. Plain JSON Schema, so the same
 * objects serve fastify's validator and @fastify/swagger.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

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

export interface ContentResponse {
  readonly description: string;
  readonly content: Record<string, { readonly schema: object }>;
}

/** One response whose body is a problem+json document. */
export function problemResponse(description: string): ContentResponse {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };
}

/** `{ 404: problem, 503: problem }` from `{ 404: 'why', 503: 'why' }`. */
export function problemResponses(statuses: Readonly<Record<number, string>>): Record<number, ContentResponse> {
  return Object.fromEntries(Object.entries(statuses).map(([status, why]) => [Number(status), problemResponse(why)]));
}

/** A response with a body of `contentType` described by `schema` (binary bodies: `{ type: 'string', format: 'binary' }`). */
export function contentResponse(description: string, contentType: string, schema: object = { type: 'string', format: 'binary' }): ContentResponse {
  return { description, content: { [contentType]: { schema } } };
}

/** A JSON response. */
export function jsonResponse(description: string, schema: object): ContentResponse {
  return contentResponse(description, 'application/json', schema);
}

/** A plain-text body, as go-livepeer's wire routes answer their own refusals. */
export function textResponse(description: string): ContentResponse {
  return contentResponse(description, 'text/plain', { type: 'string' });
}

/** Any JSON value, for bodies the route passes through unchanged. */
export const anyJson = { description: 'Any JSON value.' } as const;
