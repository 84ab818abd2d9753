import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, isLpxError } from '@lpx/sdk';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
}

/** RFC 9457 problem+json for every error that leaves the node over HTTP. */
export function installProblemJson(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, 'request failed');
    else request.log.info({ code: problem.code, detail: problem.detail }, 'request refused');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `no route for ${request.method} ${request.url}`,
      code: errors.http.NOT_FOUND.code,
      instance: request.url,
    }),
  );
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

function toProblem(error: FastifyError, request: FastifyRequest): Problem {
  if (isLpxError(error)) {
    return { type: 'about:blank', title: titleFor(error.status), status: error.status, detail: error.message, code: error.code, instance: request.url };
  }
  if (error.validation) {
    return { type: 'about:blank', title: 'Bad Request', status: 400, detail: error.message, code: errors.http.BAD_REQUEST.code, instance: request.url };
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  const detail = status >= 500 ? 'internal error; see the node log' : error.message;
  const code = status >= 500 ? errors.http.INTERNAL.code : (error.code ?? errors.http.BAD_REQUEST.code);
  return { type: 'about:blank', title: titleFor(status), status, detail, code, instance: request.url };
}

function titleFor(status: number): string {
  const titles: Record<number, string> = { 400: 'Bad Request', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
  return titles[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}
