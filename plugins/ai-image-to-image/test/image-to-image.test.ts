import t from 'tap';
import { errors } from '@lpx/sdk';
import { AI_SUITE_LIMITS, aiPipelineSamples, aiPipelineSuite, runConformanceSuite, startAIRunnerDouble } from '@lpx/sdk/testing';
import { aiImageToImagePlugin, imageToImagePipeline } from '../src/index.js';

t.test('conformance against the ai-runner double', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const report = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'image-to-image', runner: runner.endpoint, samples: await aiPipelineSamples('image-to-image') }),
    () => imageToImagePipeline,
  );
  t.same(report.failed, [], 'no case fails');
  t.ok(report.passed.length >= 10, `${report.passed.length} cases passed`);
});

t.test('the plugin adds the pipeline to ai.pipelines', async (t) => {
  t.equal(aiImageToImagePlugin.manifest.id, 'ai-image-to-image');
  t.same(aiImageToImagePlugin.manifest.requires?.extensionPoints, ['ai.pipelines']);
});

t.test('units: input width × height × images; the image reaches the runner byte for byte', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const samples = await aiPipelineSamples('image-to-image');
  const body = samples.valid.kind === 'multipart' ? { ...samples.valid, fields: { ...samples.valid.fields, num_images_per_prompt: '2' } } : samples.valid;
  const request = await imageToImagePipeline.validate(body, AI_SUITE_LIMITS);
  t.equal(imageToImagePipeline.units(request, 'gateway'), 160n * 96n * 2n);
  t.equal(imageToImagePipeline.units(request, 'orchestrator'), 160n * 96n * 2n);
  const result = await imageToImagePipeline.run(request, runner.endpoint, new AbortController().signal);
  const sent = runner.requests[0]!.request;
  t.same(Buffer.from(sent.files['image']!), Buffer.from(samples.valid.kind === 'multipart' ? samples.valid.files[0]!.data : []), 'same image bytes');
  t.equal(sent.fields['model_id'], 'stabilityai/sdxl-turbo', 'the default model is sent');
  t.equal(result.kind === 'json' ? result.files.length : 0, 2, 'two images, two files');

  const defaults = await imageToImagePipeline.validate(samples.valid, AI_SUITE_LIMITS);
  t.equal(defaults.body.kind === 'multipart' ? defaults.body.fields['num_images_per_prompt'] : undefined, '1', 'the priced count is sent');
});

t.test('a text field where the file goes, and a file under a text name, are refused', async (t) => {
  const samples = await aiPipelineSamples('image-to-image');
  if (samples.valid.kind !== 'multipart') throw new Error('multipart sample');
  const asText = { ...samples.valid, fields: { ...samples.valid.fields, image: 'abc' }, files: [] };
  await t.rejects(imageToImagePipeline.validate(asText, AI_SUITE_LIMITS), { code: errors.ai.REQUEST_INVALID.code, message: /image: expected a file/ });
  const asFile = { ...samples.valid, files: [...samples.valid.files, { field: 'prompt', data: new Uint8Array([1]) }] };
  await t.rejects(imageToImagePipeline.validate(asFile, AI_SUITE_LIMITS), { message: /prompt: expected a text field/ });
  await t.rejects(imageToImagePipeline.validate({ ...samples.valid, fields: { ...samples.valid.fields, strength: '1.5' } }, AI_SUITE_LIMITS), { message: /strength/ });
});

t.test('a go-livepeer gateway\'s multipart is accepted as it writes it (floats as %f, booleans as FormatBool)', async (t) => {
  const samples = await aiPipelineSamples('image-to-image');
  if (samples.valid.kind !== 'multipart') throw new Error('multipart sample');
  const fields = { prompt: 'x', model_id: 'stabilityai/sdxl-turbo', strength: '0.800000', guidance_scale: '7.500000', image_guidance_scale: '1.500000', safety_check: 'true', seed: '7', num_images_per_prompt: '1', num_inference_steps: '100', loras: '' };
  const request = await imageToImagePipeline.validate({ ...samples.valid, fields }, AI_SUITE_LIMITS);
  t.same(request.body.kind === 'multipart' ? request.body.fields : {}, fields, 'forwarded unchanged');
});
