import t from 'tap';
import { errors } from '@lpx/sdk';
import { AI_SUITE_LIMITS, aiPipelineSamples, aiPipelineSuite, runConformanceSuite, startAIRunnerDouble } from '@lpx/sdk/testing';
import { aiLlmPlugin, llmPipeline } from '../src/index.js';

t.test('conformance against the ai-runner double', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const report = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'llm', runner: runner.endpoint, samples: await aiPipelineSamples('llm') }),
    () => llmPipeline,
  );
  t.same(report.failed, [], 'no case fails');
  t.ok(report.passed.length >= 10, `${report.passed.length} cases passed`);
});

t.test('the plugin adds the pipeline to ai.pipelines', async (t) => {
  t.equal(aiLlmPlugin.manifest.id, 'ai-llm');
  t.same(aiLlmPlugin.manifest.requires?.extensionPoints, ['ai.pipelines']);
});

const chat = (extra: Record<string, unknown> = {}) => ({
  kind: 'json' as const,
  json: { model: 'meta-llama/llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'Say hello.' }], stream: true, max_tokens: 64, ...extra },
});

t.test('stream: true answers a stream of the runner\'s SSE chunks as objects', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const request = await llmPipeline.validate(chat(), AI_SUITE_LIMITS);
  t.equal(request.stream, true);
  t.equal(llmPipeline.units(request, 'gateway'), 64n, 'max_tokens');
  const result = await llmPipeline.run(request, runner.endpoint, new AbortController().signal);
  if (result.kind !== 'stream') throw new Error('a stream');
  const text: string[] = [];
  let usage: unknown;
  for await (const event of result.events) {
    text.push(((event['choices'] as { delta: { content: string } }[])[0]!).delta.content);
    usage = event['usage'] ?? usage;
  }
  t.equal(text.join(''), 'Hello from the runner double.');
  t.same(usage, { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 });

  const suite = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'llm', runner: runner.endpoint, samples: { ...(await aiPipelineSamples('llm')), valid: chat({ max_tokens: 32 }) } }),
    () => llmPipeline,
  );
  t.same(suite.failed, [], 'the suite passes with a streaming sample too');
});

t.test('a runner error mid-stream ends the stream with RUNNER_FAILED', async (t) => {
  const runner = await startAIRunnerDouble({
    fault: () => ({ kind: 'body', contentType: 'text/event-stream', body: 'data: {"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]}\n\ndata: {"error": "CUDA error: device-side assert"}\n\n' }),
  });
  t.teardown(() => runner.close());
  const result = await llmPipeline.run(await llmPipeline.validate(chat(), AI_SUITE_LIMITS), runner.endpoint, new AbortController().signal);
  if (result.kind !== 'stream') throw new Error('a stream');
  const seen: unknown[] = [];
  await t.rejects(
    (async () => {
      for await (const event of result.events) seen.push(event);
    })(),
    { code: errors.ai.RUNNER_FAILED.code, message: /CUDA error: device-side assert/ },
  );
  t.equal(seen.length, 1, 'the chunk before the error was delivered');
});

t.test('go-livepeer\'s gateway rules: model, messages, stream and max_tokens required; limits on prompt and max_tokens', async (t) => {
  const refuse = (json: Record<string, unknown>, message: RegExp, limits = AI_SUITE_LIMITS) =>
    t.rejects(llmPipeline.validate({ kind: 'json', json }, limits), { message });
  const base = chat().json;
  await refuse({ ...base, messages: [] }, /messages: Expected array length to be greater or equal to 1/);
  await refuse({ ...base, messages: [{ role: 'user', content: 'x', name: 'bob' }] }, /messages\[0\]\.name: unknown field/);
  await refuse({ ...base, max_tokens: 0 }, /max_tokens/);
  await refuse(base, /LIMIT_EXCEEDED|max_tokens: 64 is over the maxTokens limit of 10/, { ...AI_SUITE_LIMITS, maxTokens: 10 });
  await refuse({ ...base, messages: [{ role: 'system', content: 'abcdef' }, { role: 'user', content: 'ghijk' }] }, /messages: 11 is over the maxPromptChars limit of 10/, { ...AI_SUITE_LIMITS, maxPromptChars: 10 });
});
