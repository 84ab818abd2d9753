import t from 'tap';
import { LLM_MARKER } from '../../reference-runner/src/pipelines/llm.js';
import { postJson, ready, startRunner } from './helpers.js';

const MODEL = 'meta-llama/Meta-Llama-3.1-8B-Instruct';
const messages = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say something about tickets.' },
];

interface Chunk {
  id: string;
  model: string;
  created: number;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  choices: { index: number; finish_reason: string; delta: { role: string; content: string } | null; message: { role: string; content: string } | null }[];
}

t.test('llm: one reply with usage; deterministic words, marked as the reference runner\'s', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'llm', MODEL_ID: MODEL });
  await ready(runner);
  const res = await postJson(runner, '/llm', { messages, model: MODEL, max_tokens: 200 });
  t.equal(res.status, 200);
  const body = (await res.json()) as Chunk;
  t.match(body, { id: /^chatcmpl-/, model: MODEL, created: Number });
  const choice = body.choices[0]!;
  t.equal(choice.finish_reason, 'stop');
  t.equal(choice.delta, null);
  t.equal(choice.message!.role, 'assistant');
  t.ok(choice.message!.content.startsWith(LLM_MARKER));
  t.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
  t.ok(body.usage.prompt_tokens > 10);
  const again = (await (await postJson(runner, '/llm', { messages, max_tokens: 200 })).json()) as Chunk;
  t.equal(again.choices[0]!.message!.content, choice.message!.content, 'same messages, same reply');
  const capped = (await (await postJson(runner, '/llm', { messages, max_tokens: 3 })).json()) as Chunk;
  t.equal(capped.usage.completion_tokens, 3, 'max_tokens caps the reply');
});

t.test('llm stream: an SSE chunk per token with running usage, a final stop chunk, then [DONE]', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'llm', MODEL_ID: MODEL });
  await ready(runner);
  const res = await postJson(runner, '/llm', { messages, stream: true, max_tokens: 12 });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^text\/event-stream/);
  const text = await res.text();
  const events = text.split('\n\n').filter(Boolean);
  t.ok(events.every((e) => e.startsWith('data: ')));
  t.equal(events[events.length - 1], 'data: [DONE]');
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as Chunk);
  const last = chunks[chunks.length - 1]!;
  t.equal(last.choices[0]!.finish_reason, 'stop');
  t.equal(last.choices[0]!.delta!.content, '');
  const tokens = chunks.slice(0, -1);
  t.equal(tokens.length, last.usage.completion_tokens, 'one chunk per counted token');
  t.ok(tokens.length <= 12);
  t.same(tokens.map((c) => c.usage.completion_tokens), tokens.map((_, i) => i + 1));
  t.ok(tokens.every((c) => c.choices[0]!.finish_reason === '' && c.choices[0]!.message === null && c.id === last.id));
  const streamed = tokens.map((c) => c.choices[0]!.delta!.content).join('');
  const whole = (await (await postJson(runner, '/llm', { messages, max_tokens: 12 })).json()) as Chunk;
  t.equal(streamed, whole.choices[0]!.message!.content, 'streamed and whole replies agree');
});

t.test('llm: the runner\'s validation and model errors', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'llm', MODEL_ID: MODEL });
  await ready(runner);
  const bad = await postJson(runner, '/llm', { messages: [{ role: 'user' }, 'hi', { role: 1, content: 'x' }], stream: 'sometimes' });
  t.same([bad.status, await bad.json()], [
    422,
    {
      detail: [
        { type: 'missing', loc: ['body', 'messages', 0, 'content'], msg: 'Field required', input: { role: 'user' } },
        { type: 'model_type', loc: ['body', 'messages', 1], msg: 'Input should be a valid dictionary or instance of LLMMessage', input: 'hi', ctx: { class_name: 'LLMMessage' } },
        { type: 'string_type', loc: ['body', 'messages', 2, 'role'], msg: 'Input should be a valid string', input: 1 },
        { type: 'bool_parsing', loc: ['body', 'stream'], msg: 'Input should be a valid boolean, unable to interpret input', input: 'sometimes' },
      ],
    },
  ]);
  const notList = await postJson(runner, '/llm', { messages: 'hello' });
  t.match(await notList.json(), { detail: [{ type: 'list_type', loc: ['body', 'messages'] }] });
  const other = await postJson(runner, '/llm', { messages, model: 'other' });
  t.same([other.status, await other.json()], [400, { detail: { msg: `pipeline configured with ${MODEL} but called with other` } }]);
  const zero = await postJson(runner, '/llm', { messages, max_tokens: 0 });
  t.equal(zero.status, 400);
});
