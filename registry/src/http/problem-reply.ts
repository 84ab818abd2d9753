import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { errors, isLpxError, type ErrorCode, type LpxError } from '@lpx/sdk';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The catalogue gives registry codes status 500 because most of them are
 * raised at boot, where the node itself is at fault. Over HTTP the same codes
 * describe the CLIENT's request (a bad package, a taken version, an unknown
 * plugin), so the registry server answers them with a 4xx. The code is what
 * clients branch on; the status only has to be honest.
 */
const REQUEST_STATUS: Readonly<Record<string, number>> = {
  [errors.registry.ENTRY_MISSING.code]: 404,
  [errors.registry.PUBLISH_CONFLICT.code]: 409,
  [errors.registry.PACKAGE_INVALID.code]: 400,
  [errors.registry.INTEGRITY_MISMATCH.code]: 400,
  [errors.registry.SIGNATURE_INVALID.code]: 400,
  [errors.plugin.MANIFEST_INVALID.code]: 400,
};

/** Fastify's own refusals, by status, named from the catalogue. */
function fastifyCode(status: number): ErrorCode {
  if (status === 413) return errors.http.BODY_TOO_LARGE;
  if (status === 415) return errors.http.UNSUPPORTED_MEDIA_TYPE;
  if (status === 404) return errors.http.NOT_FOUND;
  return status === 400 ? errors.http.BODY_INVALID : errors.http.REQUEST_REFUSED;
}

function send(reply: FastifyReply, status: number, code: string, detail: string): FastifyReply {
  const problem = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, code, instance: reply.request.url };
  return reply.status(status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

function statusOf(error: LpxError): number {
  return REQUEST_STATUS[error.code] ?? error.status;
}

/**
 * RFC 9457 problem+json with an `LPX_ERR_*` code for every refusal, the same
 * shape the node's HTTP edge answers, so one client parses both. (The
 * registry package cannot import core, and needs far less of it.)
 */
export function installRegistryProblems(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isLpxError(error)) {
      const status = statusOf(error);
      if (status >= 500) request.log.error({ err: error }, 'registry request failed');
      return send(reply, status, error.code, error.message);
    }
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'registry request failed');
      return send(reply, 500, errors.http.INTERNAL.code, 'internal error; see the registry log');
    }
    return send(reply, status, fastifyCode(status).code, error.message);
  });
  app.setNotFoundHandler((request, reply) => send(reply, 404, errors.http.NOT_FOUND.code, `no route for ${request.method} ${request.url}`));
}
