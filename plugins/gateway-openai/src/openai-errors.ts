/**
 * Errors in OpenAI's shape, `{error: {message, type, param, code}}`, with the
 * lpx code in `code`: the openai clients raise them as APIError subclasses
 * by HTTP status and apps branch on `code` exactly as on the kernel's
 * problem+json. The status is the catalogue's.
 */
import { errors, isLpxError, type FastifyReply, type FastifyRequest, type LpxError } from '@lpx/sdk';

export interface OpenAIErrorBody {
  readonly error: { readonly message: string; readonly type: string; readonly param: string | null; readonly code: string };
}

/** OpenAI's `type` per status class (what its own API answers). */
function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'insufficient_quota';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** fastify's own refusals (body parsing, limits) under the kernel's LPX_ERR_HTTP_* codes. */
function fromFastify(error: { statusCode?: number; code?: string; message: string }): LpxError {
  const status = error.statusCode ?? 500;
  if (status === 413) return errors.http.BODY_TOO_LARGE.create(error.message);
  if (status === 415) return errors.http.UNSUPPORTED_MEDIA_TYPE.create(error.message);
  if (status === 400 && error.code?.startsWith('FST_ERR_CTP_')) return errors.http.BODY_INVALID.create(error.message);
  if (status >= 400 && status < 500) return errors.http.REQUEST_REFUSED.create(error.message, { details: { status } });
  return errors.http.INTERNAL.create('internal error');
}

export function toLpxError(error: unknown): LpxError {
  if (isLpxError(error)) return error;
  if (error instanceof Error) return fromFastify(error as Error & { statusCode?: number; code?: string });
  return errors.http.INTERNAL.create('internal error');
}

/** The status to answer with: REQUEST_REFUSED keeps the status fastify chose. */
function statusOf(error: LpxError): number {
  const refused = error.details?.status;
  return errors.http.REQUEST_REFUSED.is(error) && typeof refused === 'number' ? refused : error.status;
}

export function openAIErrorBody(error: LpxError): OpenAIErrorBody {
  const param = error.details?.param;
  return { error: { message: error.message, type: typeOf(statusOf(error)), param: typeof param === 'string' ? param : null, code: error.code } };
}

/**
 * The routes' error handler. 5xx are logged with their cause; a 401 carries
 * the challenge header, a spent budget its retry-after, as on the kernel's
 * job API.
 */
export function sendOpenAIError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const coded = toLpxError(error);
  const status = statusOf(coded);
  if (status >= 500) request.log.error({ err: error, code: coded.code }, 'OpenAI-compatible request failed');
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="lpx"');
  const after = coded.details?.retryAfterSeconds;
  if (typeof after === 'number') reply.header('retry-after', String(after));
  return reply.status(status).type('application/json; charset=utf-8').send(openAIErrorBody(coded));
}
