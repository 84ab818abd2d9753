/**
 * `POST /v1/chat/completions` in, go-livepeer's `llm` body out:
 * `{model, messages: [{role, content}], max_tokens, temperature, top_p,
 * top_k, stream}`. ai-runner's LLM takes plain-text messages and sampling
 * settings only, so tools, images in messages, several choices, logprobs,
 * stop sequences and structured output are refused by name (ADR 0035).
 */
import type { Body } from './request-fields.js';
import { invalid, onlyDefault, optionalBoolean, optionalNumber, refuseUnknown, requiredString, unsupported } from './request-fields.js';

export interface ChatRequest {
  /** As the app named it (aliases resolve later). */
  readonly model: string;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  readonly maxTokens: number;
  /** The go-livepeer body without `model` (filled in once the model is resolved). */
  readonly body: Readonly<Record<string, unknown>>;
}

const KNOWN = new Set([
  'model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'top_k', 'stream', 'stream_options',
  // Taken at their "nothing special" value only.
  'n', 'tools', 'tool_choice', 'functions', 'function_call', 'parallel_tool_calls', 'response_format', 'logprobs', 'top_logprobs',
  'stop', 'frequency_penalty', 'presence_penalty', 'logit_bias', 'modalities', 'audio', 'prediction', 'web_search_options',
  // Best effort or bookkeeping in OpenAI's own API; nothing to do here.
  'seed', 'user', 'metadata', 'store', 'service_tier', 'reasoning_effort', 'verbosity', 'safety_identifier', 'prompt_cache_key',
]);

const ROLES: Readonly<Record<string, string>> = { system: 'system', developer: 'system', user: 'user', assistant: 'assistant' };

const isEmpty = (value: unknown): boolean => value === false || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/** Text parts joined; any other part (image, audio, file) is beyond a text-only runner. */
function textOf(content: unknown, param: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalid(param, 'must be a string or an array of content parts');
  return content
    .map((part: unknown, index) => {
      const typed = part as { type?: unknown; text?: unknown } | null;
      if (typed?.type !== 'text') throw unsupported(`${param}[${index}]`, `content parts of type ${JSON.stringify(typed?.type)} are not supported; the llm pipeline takes text only`);
      if (typeof typed.text !== 'string') throw invalid(`${param}[${index}].text`, 'must be a string');
      return typed.text;
    })
    .join('\n');
}

function messagesOf(body: Body): { role: string; content: string }[] {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw invalid('messages', 'must be a non-empty array');
  return messages.map((message: unknown, index) => {
    const param = `messages[${index}]`;
    if (typeof message !== 'object' || message === null) throw invalid(param, 'must be an object');
    const { role, content, tool_calls: toolCalls, function_call: functionCall } = message as Record<string, unknown>;
    if (typeof role !== 'string') throw invalid(`${param}.role`, 'is required');
    const mapped = ROLES[role];
    if (mapped === undefined) throw unsupported(`${param}.role`, `role ${JSON.stringify(role)} is not supported (tool and function messages need tool calling, which the llm pipeline does not have)`);
    if ((Array.isArray(toolCalls) && toolCalls.length > 0) || (functionCall !== undefined && functionCall !== null)) {
      throw unsupported(`${param}.tool_calls`, 'tool calls are not supported by the llm pipeline');
    }
    // An assistant turn may have no content in OpenAI's API; the runner's chat template wants a string.
    if ((content === null || content === undefined) && mapped === 'assistant') return { role: mapped, content: '' };
    return { role: mapped, content: textOf(content, `${param}.content`) };
  });
}

export function parseChatRequest(body: Body, defaultMaxTokens: number): ChatRequest {
  refuseUnknown(body, KNOWN);
  const model = requiredString(body, 'model');
  const messages = messagesOf(body);
  onlyDefault(body, 'n', (v) => v === 1, 'the llm pipeline returns one choice; n must be 1');
  onlyDefault(body, 'tools', isEmpty, 'tool calling is not supported by the llm pipeline');
  onlyDefault(body, 'functions', isEmpty, 'function calling is not supported by the llm pipeline');
  onlyDefault(body, 'tool_choice', (v) => v === 'none', 'tool calling is not supported by the llm pipeline');
  onlyDefault(body, 'function_call', (v) => v === 'none', 'function calling is not supported by the llm pipeline');
  onlyDefault(body, 'response_format', (v) => (v as { type?: unknown }).type === 'text', 'only {"type": "text"}: the llm pipeline has no JSON mode or structured output');
  onlyDefault(body, 'logprobs', (v) => v === false, 'the llm pipeline does not return log probabilities');
  onlyDefault(body, 'top_logprobs', (v) => v === 0, 'the llm pipeline does not return log probabilities');
  onlyDefault(body, 'stop', isEmpty, 'the llm pipeline has no stop sequences');
  onlyDefault(body, 'frequency_penalty', (v) => v === 0, 'the llm pipeline has no frequency penalty');
  onlyDefault(body, 'presence_penalty', (v) => v === 0, 'the llm pipeline has no presence penalty');
  onlyDefault(body, 'logit_bias', isEmpty, 'the llm pipeline has no logit bias');
  onlyDefault(body, 'modalities', (v) => Array.isArray(v) && v.every((m) => m === 'text'), 'the llm pipeline answers text only');
  onlyDefault(body, 'audio', () => false, 'the llm pipeline answers text only');
  onlyDefault(body, 'prediction', () => false, 'predicted outputs are not supported');
  onlyDefault(body, 'web_search_options', () => false, 'web search is not supported');
  onlyDefault(body, 'parallel_tool_calls', (v) => typeof v === 'boolean', 'must be a boolean');

  const maxCompletion = optionalNumber(body, 'max_completion_tokens', { min: 1, max: 2 ** 31 - 1, integer: true });
  const maxTokens = maxCompletion ?? optionalNumber(body, 'max_tokens', { min: 1, max: 2 ** 31 - 1, integer: true }) ?? defaultMaxTokens;
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 2 });
  const topP = optionalNumber(body, 'top_p', { min: 0, max: 1 });
  // ai-runner's sampler takes top_k too; OpenAI has none, so it is an extension (-1 = off).
  const topK = optionalNumber(body, 'top_k', { min: -1, max: 2 ** 31 - 1, integer: true });
  const stream = optionalBoolean(body, 'stream') ?? false;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null && (typeof streamOptions !== 'object' || Array.isArray(streamOptions))) throw invalid('stream_options', 'must be an object');
  if (streamOptions !== undefined && streamOptions !== null && !stream) throw invalid('stream_options', 'is only allowed when stream is true');
  const includeUsage = (streamOptions as { include_usage?: unknown } | null | undefined)?.include_usage === true;
  return {
    model,
    stream,
    includeUsage,
    maxTokens,
    body: {
      messages,
      max_tokens: maxTokens,
      stream,
      ...(temperature !== undefined ? { temperature } : {}),
      ...(topP !== undefined ? { top_p: topP } : {}),
      ...(topK !== undefined ? { top_k: topK } : {}),
    },
  };
}
