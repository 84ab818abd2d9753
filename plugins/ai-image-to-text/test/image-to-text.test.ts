import t from 'tap';
import { errors } from '@lpx/sdk';
import { AI_SUITE_LIMITS, aiPipelineSamples, aiPipelineSuite, runConformanceSuite, startAIRunnerDouble } from '@lpx/sdk/testing';
import { aiImageToTextPlugin, imageToTextPipeline } from '../src/index.js';

t.test('conformance against the ai-runner double', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const report = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'image-to-text', runner: runner.endpoint, samples: await aiPipelineSamples('image-to-text') }),
    () => imageToTextPipeline,
  );
  t.same(report.failed, [], 'no case fails');
  t.ok(report.passed.length >= 10, `${report.passed.length} cases passed`);
});

t.test('the plugin adds the pipeline to ai.pipelines', async (t) => {
  t.equal(aiImageToTextPlugin.manifest.id, 'ai-image-to-text');
  t.same(aiImageToTextPlugin.manifest.requires?.extensionPoints, ['ai.pipelines']);
});

t.test('units: the input image\'s pixels; the caption comes back as JSON', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const request = await imageToTextPipeline.validate((await aiPipelineSamples('image-to-text')).valid, AI_SUITE_LIMITS);
  t.equal(request.modelId, 'Salesforce/blip-image-captioning-large');
  t.equal(imageToTextPipeline.units(request, 'orchestrator'), 160n * 96n);
  t.same(await imageToTextPipeline.run(request, runner.endpoint, new AbortController().signal), { kind: 'json', json: { text: 'a flat blue square' }, files: [] });
  await t.rejects(imageToTextPipeline.validate({ kind: 'multipart', fields: {}, files: [] }, AI_SUITE_LIMITS), { code: errors.ai.REQUEST_INVALID.code, message: /image: required file missing/ });
});
