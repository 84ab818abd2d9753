/**
 * The HTTP face: OpenAI's paths at the root of the gateway's HTTP port
 * (the kernel leaves OpenAI's /v1 namespaces to plugins, ADR 0035). Route
 * options only, so the plugin hands them to `http.rootRoute` and tests to a
 * bare fastify. Every route authenticates the bearer key against the
 * gateway's tenants before its body is read, answers errors in OpenAI's
 * shape, and aborts the routing when the app hangs up.
 */
import { Readable } from 'node:stream';
import { errors, type FastifyReply, type FastifyRequest, type RouteOptions } from '@lpx/sdk';
import type { CallContext, OpenAIApi } from './openai-api.js';
import { sendOpenAIError } from './openai-errors.js';
import { objectBody } from './request-fields.js';
import { readForm } from './transcription-request.js';
import { readUpload, uploadOf, uploadTypeOf } from './upload-body.js';
import { chatSchema, imagesSchema, modelSchema, modelsSchema, speechSchema, transcriptionSchema, unsupportedSchema } from './route-schemas.js';

export interface RouteDeps {
  readonly api: OpenAIApi;
  /** The tenant a bearer header belongs to (coreServices.gateway.authenticate). */
  readonly authenticate: (authorization: string | undefined) => Promise<string | undefined>;
  readonly maxAudioBytes: number;
  readonly log?: (error: unknown, message: string) => void;
}

/** OpenAI endpoints with no Livepeer pipeline behind them: a coded 404 instead of the edge's bare one. */
const UNSUPPORTED_ENDPOINTS = ['/v1/completions', '/v1/embeddings', '/v1/moderations', '/v1/responses', '/v1/images/edits', '/v1/images/variations', '/v1/audio/translations'];

const tenants = new WeakMap<FastifyRequest, string | undefined>();

function contextOf(request: FastifyRequest, reply: FastifyReply, deps: RouteDeps): CallContext {
  const controller = new AbortController();
  // 'close' before the reply finished is the app hanging up: stop routing and paying.
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return {
    tenant: tenants.get(request),
    signal: controller.signal,
    origin: `${request.protocol}://${request.host}`,
    onStreamError: (error) => deps.log?.(error, 'chat completion stream ended with an error'),
  };
}

export function openAIRoutes(deps: RouteDeps): RouteOptions[] {
  const common = {
    onRequest: async (request: FastifyRequest) => {
      tenants.set(request, await deps.authenticate(request.headers.authorization));
    },
    errorHandler: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendOpenAIError(error, request, reply),
  };
  const { api } = deps;
  return [
    {
      ...common,
      method: 'GET',
      url: '/v1/models',
      schema: modelsSchema,
      handler: async () => ({ object: 'list', data: await api.models.list() }),
    },
    {
      ...common,
      method: 'GET',
      // Model ids hold slashes (meta-llama/…): clients send them escaped or not.
      url: '/v1/models/*',
      schema: modelSchema,
      handler: async (request) => {
        const id = (request.params as { '*': string })['*'];
        return api.models.get(id.includes('%') ? decodeURIComponent(id) : id);
      },
    },
    {
      ...common,
      method: 'POST',
      url: '/v1/chat/completions',
      schema: chatSchema,
      handler: async (request, reply) => {
        const answer = await api.chat(objectBody(request.body), contextOf(request, reply, deps));
        if (answer.kind === 'json') return answer.body;
        reply.header('cache-control', 'no-cache').header('x-accel-buffering', 'no').type('text/event-stream; charset=utf-8');
        return reply.send(Readable.from(answer.lines));
      },
    },
    {
      ...common,
      method: 'POST',
      url: '/v1/images/generations',
      schema: imagesSchema,
      handler: async (request, reply) => api.images(objectBody(request.body), contextOf(request, reply, deps)),
    },
    {
      ...common,
      method: 'POST',
      url: '/v1/audio/speech',
      schema: speechSchema,
      handler: async (request, reply) => {
        const audio = await api.speech(objectBody(request.body), contextOf(request, reply, deps));
        return reply.type(audio.contentType).send(audio.data);
      },
    },
    {
      ...common,
      method: 'POST',
      url: '/v1/audio/transcriptions',
      schema: transcriptionSchema,
      preParsing: async (request: FastifyRequest, _reply: FastifyReply, payload: Readable) => {
        await readUpload(request, payload, deps.maxAudioBytes);
        return payload;
      },
      handler: async (request, reply) => {
        const form = await readForm(uploadTypeOf(request), uploadOf(request));
        const answer = await api.transcription(form, contextOf(request, reply, deps));
        return reply.type(answer.contentType).send(answer.body);
      },
    },
    ...UNSUPPORTED_ENDPOINTS.map(
      (url): RouteOptions => ({
        ...common,
        method: 'POST',
        url,
        schema: unsupportedSchema(url),
        // Refused before the body is parsed: these bodies may be multipart, which no parser here reads.
        onRequest: async (request: FastifyRequest) => {
          await common.onRequest(request);
          throw errors.ai.OPENAI_ENDPOINT_UNSUPPORTED.create(`${url} has no Livepeer pipeline behind it on this gateway; served: /v1/models, /v1/chat/completions, /v1/images/generations, /v1/audio/speech, /v1/audio/transcriptions`);
        },
        handler: async () => undefined,
      }),
    ),
  ];
}
