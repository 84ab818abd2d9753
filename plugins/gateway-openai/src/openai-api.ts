/**
 * The OpenAI endpoints over coreServices.gateway, with no HTTP in them: each
 * call checks the model against the pool, routes one AI request (paid by
 * the caller's tenant) and maps the answer. It takes a GatewayService, so it
 * runs the same on the kernel's routing and on a test double of it.
 */
import { errors, type AIGatewayResult, type AIPipelineName, type AIRequestBody, type GatewayService } from '@lpx/sdk';
import { convertSpeech } from './audio-convert.js';
import { chatCompletion } from './chat-response.js';
import { chatEventStream } from './chat-stream.js';
import { parseChatRequest } from './chat-request.js';
import { imagesResponse, parseImageRequest } from './images.js';
import { ModelCatalog } from './model-catalog.js';
import type { OpenAIConfig } from './openai-config.js';
import type { Body } from './request-fields.js';
import { parseSpeechRequest, SPEECH_CONTENT_TYPES, speechAudio } from './speech.js';
import { parseTranscriptionRequest } from './transcription-request.js';
import { transcriptionAnswer, type TranscriptionAnswer } from './transcription-response.js';

/** Who asks and how to stop: every endpoint call gets one. */
export interface CallContext {
  readonly tenant?: string | undefined;
  readonly signal: AbortSignal;
  /** `http(s)://host[:port]` as the app called it, to make gateway media URLs absolute. */
  readonly origin: string;
  readonly onStreamError?: (error: unknown) => void;
}

export type ChatAnswer = { readonly kind: 'json'; readonly body: ReturnType<typeof chatCompletion> } | { readonly kind: 'stream'; readonly lines: AsyncIterable<string> };

export class OpenAIApi {
  readonly #gateway: GatewayService;
  readonly #config: OpenAIConfig;
  readonly models: ModelCatalog;

  constructor(gateway: GatewayService, config: OpenAIConfig) {
    this.#gateway = gateway;
    this.#config = config;
    this.models = new ModelCatalog(gateway, config.aliases);
  }

  async chat(raw: Body, context: CallContext): Promise<ChatAnswer> {
    const request = parseChatRequest(raw, this.#config.defaultMaxTokens);
    const modelId = await this.models.resolve(request.model, 'llm');
    const result = await this.#route('llm', { kind: 'json', json: { ...request.body, model: modelId } }, context);
    if (request.stream) {
      if (result.kind !== 'stream') throw errors.ai.RESULT_INVALID.create('a streaming llm request was answered without a stream');
      const options = { modelId: result.modelId, maxTokens: request.maxTokens, includeUsage: request.includeUsage };
      return { kind: 'stream', lines: chatEventStream(result.events, context.onStreamError ? { ...options, onError: context.onStreamError } : options) };
    }
    if (result.kind !== 'json') throw errors.ai.RESULT_INVALID.create('a non-streaming llm request was answered with a stream');
    return { kind: 'json', body: chatCompletion(result.json, result.modelId, request.maxTokens) };
  }

  async images(raw: Body, context: CallContext) {
    const request = parseImageRequest(raw);
    const modelId = await this.models.resolve(request.model, 'text-to-image');
    const result = await this.#json('text-to-image', { kind: 'json', json: { ...request.body, model_id: modelId } }, context);
    return imagesResponse(result.json, result.media, request.responseFormat, context.origin);
  }

  async speech(raw: Body, context: CallContext): Promise<{ contentType: string; data: Buffer }> {
    const request = parseSpeechRequest(raw, this.#config.voices);
    const modelId = await this.models.resolve(request.model, 'text-to-speech');
    const result = await this.#json('text-to-speech', { kind: 'json', json: { ...request.body, model_id: modelId } }, context);
    const wav = speechAudio(result.json, result.media);
    const data = await convertSpeech(wav.data, request.format, request.speed, { ffmpegPath: this.#config.ffmpegPath, timeoutMs: this.#config.conversionTimeoutMs, signal: context.signal });
    return { contentType: SPEECH_CONTENT_TYPES[request.format], data };
  }

  async transcription(form: FormData, context: CallContext): Promise<TranscriptionAnswer> {
    const request = await parseTranscriptionRequest(form);
    const modelId = await this.models.resolve(request.model, 'audio-to-text');
    const body = { ...request.body, fields: { ...request.body.fields, model_id: modelId } };
    const result = await this.#json('audio-to-text', body, context);
    return transcriptionAnswer(result.json, request.format, request.granularity, request.language);
  }

  async #json(pipeline: AIPipelineName, body: AIRequestBody, context: CallContext) {
    const result = await this.#route(pipeline, body, context);
    if (result.kind !== 'json') throw errors.ai.RESULT_INVALID.create(`the ${pipeline} request was answered with a stream`);
    return result;
  }

  #route(pipeline: AIPipelineName, body: AIRequestBody, context: CallContext): Promise<AIGatewayResult> {
    return this.#gateway.ai({ pipeline, body, signal: context.signal, ...(context.tenant !== undefined ? { tenant: context.tenant } : {}) });
  }
}
