/**
 * The SSE body of a streaming chat completion: OpenAI chunks as `data:`
 * lines, the finishing chunk, the usage chunk when asked, then `data: [DONE]`.
 * Headers are already sent when the stream runs, so a failure mid-stream is
 * an `{error: {...}}` event (the openai clients raise it as APIError with our
 * code) and the stream ends without [DONE].
 */
import { errors } from '@lpx/sdk';
import { chunksOf, finishChunk, streamState, usageChunk } from './chat-response.js';
import { openAIErrorBody, toLpxError } from './openai-errors.js';

export interface ChatStreamOptions {
  readonly modelId: string;
  readonly maxTokens: number;
  readonly includeUsage: boolean;
  /** Logs a failure that ended the stream (the client only sees the event). */
  readonly onError?: (error: unknown) => void;
}

const line = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;

export async function* chatEventStream(events: AsyncIterable<Readonly<Record<string, unknown>>>, options: ChatStreamOptions): AsyncGenerator<string> {
  const state = streamState(options.modelId);
  try {
    for await (const event of events) {
      if (state.finished) continue;
      // ai-runner reports a failure after the headers as a `{error: "..."}` event.
      if (event.error !== undefined) {
        const message = typeof event.error === 'string' ? event.error : JSON.stringify(event.error);
        throw errors.ai.RUNNER_FAILED.create(`the llm runner failed mid-stream: ${message}`);
      }
      for (const chunk of chunksOf(event, state, options.maxTokens, options.includeUsage)) yield line(chunk);
    }
    if (!state.finished) yield line(finishChunk(state, options.maxTokens, options.includeUsage));
    if (options.includeUsage) yield line(usageChunk(state));
    yield 'data: [DONE]\n\n';
  } catch (error) {
    options.onError?.(error);
    yield line(openAIErrorBody(toLpxError(error)));
  }
}
