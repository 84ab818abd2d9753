import t from 'tap';
import { errors } from '@lpx/sdk';
import { AI_SUITE_LIMITS, aiPipelineSamples, aiPipelineSuite, runConformanceSuite, startAIRunnerDouble } from '@lpx/sdk/testing';
import { aiTextToSpeechPlugin, textToSpeechPipeline } from '../src/index.js';

t.test('conformance against the ai-runner double', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const report = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'text-to-speech', runner: runner.endpoint, samples: await aiPipelineSamples('text-to-speech') }),
    () => textToSpeechPipeline,
  );
  t.same(report.failed, [], 'no case fails');
  t.ok(report.passed.length >= 10, `${report.passed.length} cases passed`);
});

t.test('the plugin adds the pipeline to ai.pipelines', async (t) => {
  t.equal(aiTextToSpeechPlugin.manifest.id, 'ai-text-to-speech');
  t.same(aiTextToSpeechPlugin.manifest.requires?.extensionPoints, ['ai.pipelines']);
});

t.test('units differ per side as in go-livepeer: gateway UTF-8 bytes, orchestrator 1000 × characters', async (t) => {
  const request = await textToSpeechPipeline.validate({ kind: 'json', json: { text: '日本語 ok' } }, AI_SUITE_LIMITS);
  t.equal(textToSpeechPipeline.units(request, 'gateway'), 12n, '3 × 3 bytes + 3');
  t.equal(textToSpeechPipeline.units(request, 'orchestrator'), 6000n, '6 characters');
  const emoji = await textToSpeechPipeline.validate({ kind: 'json', json: { text: '👍' } }, AI_SUITE_LIMITS);
  t.equal(textToSpeechPipeline.units(emoji, 'orchestrator'), 1000n, 'one rune, not two UTF-16 units');
  await t.rejects(textToSpeechPipeline.validate({ kind: 'json', json: { text: '' } }, AI_SUITE_LIMITS), { code: errors.ai.REQUEST_INVALID.code, message: /text/ });
});

t.test('the runner\'s WAV becomes the file audio.wav', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const request = await textToSpeechPipeline.validate({ kind: 'json', json: { text: 'Hello there', description: 'a calm voice' } }, AI_SUITE_LIMITS);
  t.equal(request.modelId, 'parler-tts/parler-tts-large-v1');
  const result = await textToSpeechPipeline.run(request, runner.endpoint, new AbortController().signal);
  if (result.kind !== 'json') throw new Error('json result');
  t.same(result.json, { audio: { url: 'audio.wav' } });
  t.equal(result.files[0]!.contentType, 'audio/wav');
  t.equal(Buffer.from(result.files[0]!.data).subarray(0, 4).toString('latin1'), 'RIFF');
});
