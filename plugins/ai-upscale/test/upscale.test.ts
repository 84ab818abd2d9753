import t from 'tap';
import { errors } from '@lpx/sdk';
import { AI_SUITE_LIMITS, aiPipelineSamples, aiPipelineSuite, runConformanceSuite, startAIRunnerDouble } from '@lpx/sdk/testing';
import { aiUpscalePlugin, upscalePipeline } from '../src/index.js';

t.test('conformance against the ai-runner double', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const report = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'upscale', runner: runner.endpoint, samples: await aiPipelineSamples('upscale') }),
    () => upscalePipeline,
  );
  t.same(report.failed, [], 'no case fails');
  t.ok(report.passed.length >= 10, `${report.passed.length} cases passed`);
});

t.test('the plugin adds the pipeline to ai.pipelines', async (t) => {
  t.equal(aiUpscalePlugin.manifest.id, 'ai-upscale');
  t.same(aiUpscalePlugin.manifest.requires?.extensionPoints, ['ai.pipelines']);
});

t.test('units: the input image\'s pixels; the answer is the runner\'s bigger image as a file', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const request = await upscalePipeline.validate((await aiPipelineSamples('upscale')).valid, AI_SUITE_LIMITS);
  t.equal(request.modelId, 'stabilityai/stable-diffusion-x4-upscaler');
  t.equal(upscalePipeline.units(request, 'gateway'), 64n * 48n);
  const result = await upscalePipeline.run(request, runner.endpoint, new AbortController().signal);
  if (result.kind !== 'json') throw new Error('json result');
  t.same(result.json, { images: [{ url: 'image-0.png', seed: 42, nsfw: false }] });
  await t.rejects(upscalePipeline.validate((await aiPipelineSamples('upscale')).valid, { ...AI_SUITE_LIMITS, maxImageSide: 50 }), { code: errors.ai.LIMIT_EXCEEDED.code, message: /image width: 64/ });
});
