import t from 'tap';
import { errors } from '@lpx/sdk';
import { AI_SUITE_LIMITS, aiPipelineSamples, aiPipelineSuite, runConformanceSuite, startAIRunnerDouble } from '@lpx/sdk/testing';
import { aiSegmentAnything2Plugin, segmentAnything2Pipeline } from '../src/index.js';

t.test('conformance against the ai-runner double', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const report = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'segment-anything-2', runner: runner.endpoint, samples: await aiPipelineSamples('segment-anything-2') }),
    () => segmentAnything2Pipeline,
  );
  t.same(report.failed, [], 'no case fails');
  t.ok(report.passed.length >= 10, `${report.passed.length} cases passed`);
});

t.test('the plugin adds the pipeline to ai.pipelines', async (t) => {
  t.equal(aiSegmentAnything2Plugin.manifest.id, 'ai-segment-anything-2');
  t.same(aiSegmentAnything2Plugin.manifest.requires?.extensionPoints, ['ai.pipelines']);
});

t.test('prompts are JSON arrays in strings, checked; masks come back as the runner\'s strings', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const samples = await aiPipelineSamples('segment-anything-2');
  if (samples.valid.kind !== 'multipart') throw new Error('multipart sample');
  await t.rejects(segmentAnything2Pipeline.validate({ ...samples.valid, fields: { box: '{"x": 1}' } }, AI_SUITE_LIMITS), { code: errors.ai.REQUEST_INVALID.code, message: /box: expected a JSON array/ });
  const request = await segmentAnything2Pipeline.validate(samples.valid, AI_SUITE_LIMITS);
  t.equal(segmentAnything2Pipeline.units(request, 'gateway'), 160n * 96n);
  const result = await segmentAnything2Pipeline.run(request, runner.endpoint, new AbortController().signal);
  t.same(result, { kind: 'json', json: { masks: '[[[0, 1], [1, 0]]]', scores: '[0.9]', logits: '[[[0.1, 0.9], [0.9, 0.1]]]' }, files: [] });
});
