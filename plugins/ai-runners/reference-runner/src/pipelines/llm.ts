import { randomUUID } from 'node:crypto';
import { RunnerHttpError } from '../http-errors.js';
import { boolValue, numberValue, stringValue, type RunnerPipeline } from '../pipeline.js';
import { prng, seedFrom } from '../deterministic.js';
import { parseMessages, type LLMMessage } from './llm-messages.js';

/** Every reply starts with this token, so no one mistakes it for a model's words. */
export const LLM_MARKER = '[lpx-reference-runner]';

const WORDS = (
  'the a of to and in that is for it as with on this by be are from at or an not which have has was can will more one all ' +
  'stream video node payment ticket round segment model pipeline runner gateway orchestrator network token price reply answer ' +
  'deterministic reference output request test seed value order result'
).split(' ');

/** A rough tokenizer (words and punctuation); the counts in `usage` are of these tokens. */
export function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)?.length ?? 0;
}

/** The chat template the counts are taken over: role headers around each message, then the assistant's. */
export function renderChat(messages: readonly LLMMessage[]): string {
  return `${messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join('')}<|assistant|>\n`;
}

/** The reply's tokens: the marker, then words drawn from the request's hash; between 8 and 64, at most max_tokens. */
export function replyTokens(seed: number, maxTokens: number): string[] {
  const rand = prng(seed);
  const length = Math.min(maxTokens, 8 + Math.floor(rand() * 57));
  const tokens = [LLM_MARKER];
  while (tokens.length < length) tokens.push(` ${WORDS[Math.floor(rand() * WORDS.length)]!}`);
  if (length > 1) tokens[tokens.length - 1] += '.';
  return tokens.slice(0, length);
}

function chunk(id: string, model: string, content: string, finish: string, usage: { prompt: number; completion: number }): string {
  // pydantic dumps both `delta` and `message` (one of them null) and finish_reason "" until the end.
  return JSON.stringify({
    id,
    model,
    created: Math.floor(Date.now() / 1000),
    usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
    choices: [{ index: 0, finish_reason: finish, delta: { role: 'assistant', content }, message: null }],
  });
}

/**
 * llm without a language model: a deterministic reply (same messages and
 * sampling settings, same words), counted and streamed the way the runner's
 * vLLM pipeline does it: one SSE chunk per token with running usage, a last
 * empty chunk with finish_reason "stop", then `[DONE]`.
 */
export const llm: RunnerPipeline = {
  name: 'llm',
  body: 'json',
  modelField: 'model',
  fullStops: false,
  engine: 'deterministic',
  failureMessage: 'Internal server error during LLM processing.',
  fields: [
    { name: 'messages', type: 'list', items: parseMessages },
    { name: 'model', type: 'str', default: '' },
    { name: 'temperature', type: 'float', default: 0.7 },
    { name: 'max_tokens', type: 'int', default: 256 },
    { name: 'top_p', type: 'float', default: 1 },
    { name: 'top_k', type: 'int', default: -1 },
    { name: 'stream', type: 'bool', default: false },
  ],
  load: async () => undefined,
  async run({ modelId, values, signal }) {
    const messages = values.messages as unknown as LLMMessage[];
    const maxTokens = numberValue(values, 'max_tokens');
    if (maxTokens < 1) throw new RunnerHttpError(400, `max_tokens must be at least 1, got ${maxTokens}`);
    const promptTokens = countTokens(renderChat(messages));
    const seed = seedFrom(modelId, messages, numberValue(values, 'temperature'), numberValue(values, 'top_p'), numberValue(values, 'top_k'));
    const tokens = replyTokens(seed, maxTokens);
    const id = `chatcmpl-${randomUUID()}`;
    const model = modelId;
    if (!boolValue(values, 'stream')) {
      const created = Math.floor(Date.now() / 1000);
      return {
        kind: 'json',
        json: {
          id,
          model,
          created,
          usage: { prompt_tokens: promptTokens, completion_tokens: tokens.length, total_tokens: promptTokens + tokens.length },
          choices: [{ index: 0, finish_reason: 'stop', delta: null, message: { role: 'assistant', content: tokens.join('') } }],
        },
      };
    }
    async function* events(): AsyncGenerator<string> {
      let completion = 0;
      for (const token of tokens) {
        if (signal.aborted) return;
        completion++;
        yield chunk(id, model, token, '', { prompt: promptTokens, completion });
        // Let the socket flush between tokens, as a generating model would.
        await new Promise((resolve) => setImmediate(resolve));
      }
      yield chunk(id, model, '', 'stop', { prompt: promptTokens, completion });
      yield '[DONE]';
    }
    return { kind: 'sse', events: events() };
  },
};

