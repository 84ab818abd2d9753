import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { errors, isLpxError, type ErrorCode } from '@lpx/sdk';
import { catalogueFor } from './fastify-errors.js';
import { RouteMethods } from './route-methods.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * RFC 9457 problem+json for every error that leaves the node over HTTP, with
 * a catalogue code: the error handler (thrown errors, fastify's body and
 * schema refusals), the not-found handler (404, or 405 when the path exists
 * for other methods). Fastify's URL errors and node's malformed-request
 * errors happen before either runs; pass `problemJsonServerOptions` to the
 * fastify constructor for those.
 */
export function installProblemJson(app: FastifyInstance): void {
  const routes = new RouteMethods();
  routes.install(app);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, 'request failed');
    else request.log.info({ code: problem.code, detail: problem.detail }, 'request refused');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const allowed = routes.allowed(path);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      void reply.header('allow', allowed.join(', '));
      return sendProblem(reply, problemOf(errors.http.METHOD_NOT_ALLOWED, `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`, request.url));
    }
    return sendProblem(reply, problemOf(errors.http.NOT_FOUND, `no route for ${request.method} ${request.url}`, request.url));
  });
}

/** Fastify constructor options for the refusals that happen before routing (bad URL, malformed HTTP). */
export const problemJsonServerOptions: Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> = {
  frameworkErrors: (error, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    void sendProblem(reply, problemOf(catalogueFor(error.code, status), error.message, request.url, status));
  },
  clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const detail = status === 431 ? 'request headers too large' : status === 408 ? 'request timed out' : 'malformed HTTP request';
    const body = JSON.stringify(problemOf(catalogueFor(undefined, status), detail, '', status));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\nConnection: close\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  },
};

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

function problemOf(definition: ErrorCode, detail: string, instance: string, status = definition.status): Problem {
  return { type: 'about:blank', title: titleFor(status), status, detail, code: definition.code, instance };
}

function toProblem(error: FastifyError, request: FastifyRequest): Problem {
  if (isLpxError(error)) {
    return { type: 'about:blank', title: titleFor(error.status), status: error.status, detail: error.message, code: error.code, instance: request.url };
  }
  if (error.validation) return problemOf(errors.http.BAD_REQUEST, error.message, request.url);
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) return problemOf(errors.http.INTERNAL, 'internal error; see the node log', request.url, status);
  // A fastify refusal or a plugin's own 4xx: keep its status and text, name it from the catalogue.
  return problemOf(catalogueFor(error.code, status), error.message, request.url, status);
}

function titleFor(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}
