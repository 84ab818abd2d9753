/**
 * go-livepeer's gateway streaming API (`/process/stream/*`, doc/byoc-streaming.md)
 * on the gateway's HTTP edge, plus lpx's HTTP media paths:
 *   POST /process/stream/start          Livepeer header (unsigned) + StartRequest → StreamUrls
 *   POST /process/stream/:id/update     Livepeer header {"stream_id":id} + body → the orchestrator's answer
 *   POST /process/stream/:id/stop       → 204
 *   GET  /process/stream/:id/status     state, orchestrator, payments, reason
 *   GET  /process/stream/:id/data       SSE of the data channel
 *   POST /process/stream/:id/ingest     lpx: one body = one segment to the orchestrator
 *   GET  /process/stream/:id/out        lpx: the next output segment
 *   OPTIONS /process/stream/*           CORS preflight
 * Callers authenticate as on /v1/jobs (`Authorization: Bearer`, ADR 0017);
 * refusals are problem+json with `LPX_ERR_BYOC_STREAM_*` codes, an
 * orchestrator's 4xx keeps its status. Bodies are read by the handlers (an
 * ingest body streams straight into the trickle POST).
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from '../../http/problem-json.js';
import { BodyTooLargeError, passBodyThrough, readRequestBody } from '../../network/segment/request-body.js';
import { errors } from '@lpx/sdk';
import { sendDataEvents, sendOutSegment, SEQ_HEADER } from './byoc-stream-media.js';
import { MAX_STREAM_BODY_BYTES, type ByocStreamService } from './byoc-stream-service.js';
import { documentRoutes } from '../../http/openapi/route-docs.js';
import { byocStreamRouteDocs } from './gateway-route-docs.js';

interface IdParams {
  id: string;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Content-Type, Livepeer, Authorization',
  'access-control-allow-methods': 'OPTIONS, POST, GET',
  'access-control-expose-headers': SEQ_HEADER,
};

function base(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function livepeerHeader(request: FastifyRequest): string | undefined {
  const value = request.headers['livepeer'];
  return Array.isArray(value) ? value[0] : value;
}

async function body(request: FastifyRequest): Promise<Buffer> {
  try {
    return await readRequestBody(request, MAX_STREAM_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw errors.http.BODY_TOO_LARGE.create(`request body too large (max ${MAX_STREAM_BODY_BYTES} bytes)`);
    throw error;
  }
}

function tenantOf(service: ByocStreamService, request: FastifyRequest, reply: FastifyReply): string | undefined {
  try {
    return service.authenticate(request.headers.authorization);
  } catch (error) {
    reply.header('www-authenticate', 'Bearer realm="lpx"');
    throw error;
  }
}

export function registerByocStreamRoutes(app: FastifyInstance, service: ByocStreamService): void {
  app.register(async (scope) => {
    passBodyThrough(scope);
    documentRoutes(scope, byocStreamRouteDocs);
    scope.addHook('onRequest', async (_request, reply) => {
      reply.headers(CORS);
    });
    // An orchestrator's 4xx is the client's answer with the orchestrator's own status.
    scope.setErrorHandler((error, request, reply) => {
      if (errors.byoc.STREAM_ORCHESTRATOR_REFUSED.is(error) && typeof error.details?.status === 'number') {
        return sendProblem(reply, { type: 'about:blank', title: 'Orchestrator refused', status: error.details.status, detail: error.message, code: error.code, instance: request.url });
      }
      throw error;
    });

    scope.options('/process/stream/*', async (_request, reply) => reply.status(204).send());

    scope.post('/process/stream/start', async (request, reply) => {
      const tenant = tenantOf(service, request, reply);
      const urls = await service.start(tenant, livepeerHeader(request), await body(request), base(request));
      return reply.status(200).send(urls);
    });

    scope.post<{ Params: IdParams }>('/process/stream/:id/update', async (request, reply) => {
      const session = service.get(request.params.id, tenantOf(service, request, reply));
      const answer = await service.update(session, livepeerHeader(request), await body(request), request.headers['content-type']);
      const type = answer.headers['content-type'];
      if (type !== undefined) reply.header('content-type', Array.isArray(type) ? type[0] : type);
      return reply.status(answer.status).send(answer.body);
    });

    scope.post<{ Params: IdParams }>('/process/stream/:id/stop', async (request, reply) => {
      const session = service.get(request.params.id, tenantOf(service, request, reply));
      await service.stop(session, await body(request));
      return reply.status(204).send();
    });

    scope.get<{ Params: IdParams }>('/process/stream/:id/status', async (request, reply) => {
      const session = service.get(request.params.id, tenantOf(service, request, reply));
      return reply.send(service.status(session));
    });

    scope.get<{ Params: IdParams }>('/process/stream/:id/data', async (request, reply) => {
      const session = service.get(request.params.id, tenantOf(service, request, reply));
      await sendDataEvents(session, reply);
    });

    scope.post<{ Params: IdParams }>('/process/stream/:id/ingest', async (request, reply) => {
      const session = service.get(request.params.id, tenantOf(service, request, reply));
      const stream = (request.body ?? request.raw) as Readable;
      const seq = await session.ingest(stream);
      return reply.status(200).header(SEQ_HEADER, String(seq)).send({ seq });
    });

    scope.get<{ Params: IdParams; Querystring: { seq?: string } }>('/process/stream/:id/out', async (request, reply) => {
      const session = service.get(request.params.id, tenantOf(service, request, reply));
      return sendOutSegment(session, request, reply);
    });
  });
}

