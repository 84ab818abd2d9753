import { checkLimit, defineAIPipeline, runeCount, runnerResponses, Type } from '@lpx/sdk/ai-kit';

/**
 * The ai-runner's LLMRequest. `model`, `stream` and `max_tokens` are
 * required although the runner has defaults: go-livepeer's gateway refuses a
 * request without them (and its orchestrator one without max_tokens, the
 * units), so a request lpx accepts is one any go-livepeer node accepts.
 */
const fields = Type.Object(
  {
    messages: Type.Array(Type.Object({ role: Type.String({ minLength: 1 }), content: Type.String() }, { additionalProperties: false }), { minItems: 1 }),
    model: Type.String({ minLength: 1 }),
    stream: Type.Boolean(),
    max_tokens: Type.Integer({ minimum: 1 }),
    temperature: Type.Optional(Type.Number()),
    top_p: Type.Optional(Type.Number()),
    top_k: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const llmPipeline = defineAIPipeline({
  name: 'llm',
  bodyKind: 'json',
  defaultModel: 'meta-llama/llama-3.1-8B-Instruct',
  unit: 'token of max_tokens',
  fields,
  modelField: 'model',
  refine({ values, limits }) {
    const messages = values['messages'] as { content: string }[];
    const chars = messages.reduce((sum, m) => sum + runeCount(m.content), 0);
    checkLimit('messages', chars, 'maxPromptChars', limits);
    const maxTokens = values['max_tokens'] as number;
    checkLimit('max_tokens', maxTokens, 'maxTokens', limits);
    return { measures: { promptChars: chars, maxTokens } };
  },
  stream: (values) => values['stream'] === true,
  units: (m) => BigInt(m['maxTokens']!),
  response: runnerResponses.llm,
  toResult: (json: unknown) => ({ kind: 'json', json, files: [] }),
});
