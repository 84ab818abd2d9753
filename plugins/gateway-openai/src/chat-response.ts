/**
 * go-livepeer's LLM answers in OpenAI's exact shapes. The runner's response
 * `{id, model, created, usage, choices: [{index, message | delta, finish_reason}]}`
 * is close to OpenAI's but has no `object`, uses "" for "not finished" and
 * always says "stop", even when generation ended at max_tokens: we report
 * "length" when the completion used the whole budget, as OpenAI does.
 */
import { errors } from '@lpx/sdk';

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

type FinishReason = 'stop' | 'length';

interface RunnerChoice {
  readonly index?: unknown;
  readonly message?: { readonly role?: unknown; readonly content?: unknown } | null;
  readonly delta?: { readonly role?: unknown; readonly content?: unknown } | null;
  readonly finish_reason?: unknown;
}

interface RunnerResponse {
  readonly id?: unknown;
  readonly model?: unknown;
  readonly created?: unknown;
  readonly usage?: unknown;
  readonly choices?: unknown;
}

const NON_NEGATIVE = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

function resultInvalid(what: string) {
  return errors.ai.RESULT_INVALID.create(`the llm result ${what}`);
}

export function usageOf(value: unknown): Usage | undefined {
  const usage = value as Partial<Usage> | null | undefined;
  if (!NON_NEGATIVE(usage?.prompt_tokens) || !NON_NEGATIVE(usage?.completion_tokens)) return undefined;
  const total = NON_NEGATIVE(usage.total_tokens) ? usage.total_tokens : usage.prompt_tokens + usage.completion_tokens;
  return { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: total };
}

/** OpenAI ids start with `chatcmpl-`; the runner's are bare request ids. */
export function completionId(id: unknown): string {
  const raw = typeof id === 'string' && id.length > 0 ? id : globalThis.crypto.randomUUID();
  return raw.startsWith('chatcmpl-') ? raw : `chatcmpl-${raw}`;
}

export function createdOf(created: unknown): number {
  return NON_NEGATIVE(created) ? created : Math.floor(Date.now() / 1000);
}

/** "length" when the budget ran out, else "stop" (the runner knows no other reason). */
export function finishReason(usage: Usage | undefined, maxTokens: number): FinishReason {
  return usage !== undefined && usage.completion_tokens >= maxTokens ? 'length' : 'stop';
}

function choicesOf(response: RunnerResponse): RunnerChoice[] {
  if (!Array.isArray(response.choices)) throw resultInvalid('has no choices');
  return response.choices as RunnerChoice[];
}

export function chatCompletion(json: unknown, modelId: string, maxTokens: number) {
  if (typeof json !== 'object' || json === null) throw resultInvalid('is not an object');
  const response = json as RunnerResponse;
  const choice = choicesOf(response)[0];
  const content = choice?.message?.content ?? choice?.delta?.content;
  if (typeof content !== 'string') throw resultInvalid('has no message content');
  const usage = usageOf(response.usage);
  return {
    id: completionId(response.id),
    object: 'chat.completion' as const,
    created: createdOf(response.created),
    model: typeof response.model === 'string' && response.model !== '' ? response.model : modelId,
    choices: [{ index: 0, message: { role: 'assistant' as const, content, refusal: null }, logprobs: null, finish_reason: finishReason(usage, maxTokens) }],
    usage: usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    system_fingerprint: null,
  };
}

/** What the stream mapper keeps between events. */
export interface StreamState {
  readonly id: string;
  readonly model: string;
  readonly created: number;
  roleSent: boolean;
  finished: boolean;
  usage: Usage | undefined;
}

export function streamState(modelId: string): StreamState {
  return { id: completionId(undefined), model: modelId, created: createdOf(undefined), roleSent: false, finished: false, usage: undefined };
}

export interface StreamChunk {
  readonly id: string;
  readonly object: 'chat.completion.chunk';
  readonly created: number;
  readonly model: string;
  readonly system_fingerprint: null;
  readonly choices: readonly { index: number; delta: { role?: 'assistant'; content?: string }; logprobs: null; finish_reason: FinishReason | null }[];
  readonly usage?: Usage | null;
}

function chunk(state: StreamState, choices: StreamChunk['choices'], includeUsage: boolean): StreamChunk {
  return { id: state.id, object: 'chat.completion.chunk', created: state.created, model: state.model, system_fingerprint: null, choices, ...(includeUsage ? { usage: null } : {}) };
}

/**
 * The chunks one runner event becomes: a delta with text, and the finishing
 * chunk (empty delta, finish_reason) when the runner says it is done. The
 * first chunk carries the assistant role, as OpenAI's does.
 */
export function chunksOf(event: Readonly<Record<string, unknown>>, state: StreamState, maxTokens: number, includeUsage: boolean): StreamChunk[] {
  const mutable = state as { -readonly [K in keyof StreamState]: StreamState[K] };
  if (typeof event.id === 'string' && event.id !== '' && !state.roleSent) mutable.id = completionId(event.id);
  if (typeof event.model === 'string' && event.model !== '' && !state.roleSent) mutable.model = event.model;
  if (NON_NEGATIVE(event.created) && !state.roleSent) mutable.created = event.created;
  state.usage = usageOf(event.usage) ?? state.usage;
  const choice = choicesOf(event as RunnerResponse)[0];
  const content = choice?.delta?.content ?? choice?.message?.content;
  const out: StreamChunk[] = [];
  if ((typeof content === 'string' && content !== '') || !state.roleSent) {
    out.push(chunk(state, [{ index: 0, delta: { ...(state.roleSent ? {} : { role: 'assistant' as const }), content: typeof content === 'string' ? content : '' }, logprobs: null, finish_reason: null }], includeUsage));
    state.roleSent = true;
  }
  if (typeof choice?.finish_reason === 'string' && choice.finish_reason !== '') out.push(finishChunk(state, maxTokens, includeUsage));
  return out;
}

export function finishChunk(state: StreamState, maxTokens: number, includeUsage: boolean): StreamChunk {
  state.finished = true;
  return chunk(state, [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason(state.usage, maxTokens) }], includeUsage);
}

/** `stream_options.include_usage`: one more chunk with no choices and the totals. */
export function usageChunk(state: StreamState): StreamChunk {
  return { ...chunk(state, [], false), usage: state.usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } };
}
