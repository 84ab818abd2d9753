/**
 * Route schemas of the OpenAI-compatible routes (docs/adr/0058, plugin route
 * schemas). Bodies are read and refused by the handlers themselves, with
 * OpenAI's `param` in the error, so they are documented (`requestBody`), never
 * validated by fastify; errors are OpenAI's shape, not problem+json.
 */
import { binaryResponse, eventStreamResponse, jsonResponse, routeSchema, type ContentResponse, type JsonSchema } from '@lpx/sdk';

const tags = ['gateway-openai'] as const;
const open = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({ type: 'object', additionalProperties: true, properties, ...(required.length === 0 ? {} : { required }) });

const openAIError = open(
  {
    error: open(
      {
        message: { type: 'string' },
        type: { type: 'string', description: 'invalid_request_error, authentication_error, insufficient_quota, permission_error, rate_limit_error, server_error.' },
        param: { type: 'string', nullable: true, description: 'The request parameter at fault, when one is.' },
        code: { type: 'string', pattern: '^LPX_ERR_', description: 'The LPX_ERR_* code (docs/errors.md).' },
      },
      ['message', 'type', 'param', 'code'],
    ),
  },
  ['error'],
);

function errorsOf(statuses: Readonly<Record<number, string>>): Record<number, ContentResponse> {
  return Object.fromEntries(Object.entries(statuses).map(([status, why]) => [Number(status), jsonResponse(`${why} (OpenAI error shape).`, openAIError)]));
}

const AUTH = { 401: 'No or unknown bearer key', 402: "The tenant's budget is spent (retry-after when it refills)" } as const;
const ROUTED = { ...AUTH, 400: 'A parameter is wrong, unknown or unsupported (`param` names it)', 404: 'No such model', 502: 'No orchestrator could run it', 503: 'No capacity' } as const;

const model = open({ id: { type: 'string' }, object: { type: 'string', enum: ['model'] }, created: { type: 'integer' }, owned_by: { type: 'string' } }, ['id', 'object']);

export const modelsSchema = routeSchema({
  summary: 'List the models this gateway routes (OpenAI /v1/models)',
  tags: [...tags],
  response: { 200: jsonResponse('`{object: "list", data: [model]}`.', open({ object: { type: 'string' }, data: { type: 'array', items: model } })), ...errorsOf(AUTH) },
});

export const modelSchema = routeSchema({
  summary: 'One model (OpenAI /v1/models/{model}); ids with slashes may be sent escaped or not',
  tags: [...tags],
  response: { 200: jsonResponse('The model.', model), ...errorsOf({ ...AUTH, 404: 'No such model' }) },
});

export const chatSchema = routeSchema({
  summary: 'Chat completion on the llm pipeline (OpenAI /v1/chat/completions)',
  description: 'Plain-text messages and sampling settings; `stream: true` answers with Server-Sent Events (`data: <chunk>` … `data: [DONE]`).',
  tags: [...tags],
  requestBody: {
    content: {
      'application/json': open(
        {
          model: { type: 'string' },
          messages: { type: 'array', items: open({ role: { type: 'string' }, content: { type: 'string' } }) },
          max_tokens: { type: 'integer', minimum: 1 },
          max_completion_tokens: { type: 'integer', minimum: 1 },
          temperature: { type: 'number' },
          top_p: { type: 'number' },
          top_k: { type: 'integer' },
          stream: { type: 'boolean' },
          stream_options: { type: 'object' },
        },
        ['model', 'messages'],
      ),
    },
  },
  response: {
    200: {
      description: 'A chat.completion object, or with `stream: true` a stream of chat.completion.chunk events.',
      content: { ...jsonResponse('', open({ id: { type: 'string' }, object: { type: 'string' }, choices: { type: 'array', items: { type: 'object', additionalProperties: true } } })).content, ...eventStreamResponse('').content },
    },
    ...errorsOf(ROUTED),
  },
});

export const imagesSchema = routeSchema({
  summary: 'Generate images on the text-to-image pipeline (OpenAI /v1/images/generations)',
  tags: [...tags],
  requestBody: {
    content: {
      'application/json': open(
        {
          prompt: { type: 'string' },
          model: { type: 'string' },
          n: { type: 'integer', minimum: 1 },
          size: { type: 'string', description: '"WxH", sides multiples of 8.' },
          response_format: { type: 'string', enum: ['url', 'b64_json'] },
          seed: { type: 'integer' },
          negative_prompt: { type: 'string' },
          guidance_scale: { type: 'number' },
          num_inference_steps: { type: 'integer' },
        },
        ['prompt'],
      ),
    },
  },
  response: {
    200: jsonResponse('`{created, data: [{url} | {b64_json}]}`.', open({ created: { type: 'integer' }, data: { type: 'array', items: open({ url: { type: 'string' }, b64_json: { type: 'string' } }) } })),
    ...errorsOf(ROUTED),
  },
});

export const speechSchema = routeSchema({
  summary: 'Text to speech on the text-to-speech pipeline (OpenAI /v1/audio/speech)',
  tags: [...tags],
  requestBody: {
    content: {
      'application/json': open(
        { model: { type: 'string' }, input: { type: 'string' }, voice: { type: 'string' }, instructions: { type: 'string' }, response_format: { type: 'string' }, speed: { type: 'number' } },
        ['input', 'voice'],
      ),
    },
  },
  response: { 200: binaryResponse('The audio.', 'audio/wav'), ...errorsOf(ROUTED) },
});

export const transcriptionSchema = routeSchema({
  summary: 'Speech to text on the audio-to-text pipeline (OpenAI /v1/audio/transcriptions)',
  tags: [...tags],
  requestBody: {
    content: {
      'multipart/form-data': open(
        { file: { type: 'string', format: 'binary' }, model: { type: 'string' }, response_format: { type: 'string', enum: ['json', 'text', 'srt', 'verbose_json', 'vtt'] }, language: { type: 'string' }, prompt: { type: 'string' }, temperature: { type: 'number' } },
        ['file', 'model'],
      ),
    },
  },
  response: {
    200: { description: 'The transcription: JSON, or text / subtitles as `response_format` asks.', content: { ...jsonResponse('', open({ text: { type: 'string' } })).content, 'text/plain': { schema: { type: 'string' } } } },
    ...errorsOf({ ...ROUTED, 413: 'The audio is larger than the configured limit' }),
  },
});

export function unsupportedSchema(url: string) {
  return routeSchema({
    summary: `${url}: not served (no Livepeer pipeline behind it)`,
    description: 'Answers 404 LPX_ERR_AI_OPENAI_ENDPOINT_UNSUPPORTED after authenticating, so OpenAI clients get a coded error instead of a bare 404.',
    tags: [...tags],
    response: { '2xx': { description: 'Never: the endpoint is always refused.' }, ...errorsOf({ ...AUTH, 404: 'This endpoint is not served' }) },
  });
}
