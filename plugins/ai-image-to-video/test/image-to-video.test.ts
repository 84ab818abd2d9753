import t from 'tap';
import { errors } from '@lpx/sdk';
import { AI_SUITE_LIMITS, aiPipelineSamples, aiPipelineSuite, probeMedia, runConformanceSuite, startAIRunnerDouble } from '@lpx/sdk/testing';
import { aiImageToVideoPlugin, createImageToVideoPipeline, imageToVideoPipeline } from '../src/index.js';

t.test('conformance against the ai-runner double', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const report = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'image-to-video', runner: runner.endpoint, samples: await aiPipelineSamples('image-to-video') }),
    () => imageToVideoPipeline,
  );
  t.same(report.failed, [], 'no case fails');
  t.ok(report.passed.length >= 10, `${report.passed.length} cases passed`);
});

t.test('the plugin adds the pipeline to ai.pipelines', async (t) => {
  t.equal(aiImageToVideoPlugin.manifest.id, 'ai-image-to-video');
  t.same(aiImageToVideoPlugin.manifest.requires?.extensionPoints, ['ai.pipelines']);
});

t.test('no size named: 1024×576 is sent, 1024×576×25 billed, the frames become an H.264 MP4 at that size', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const samples = await aiPipelineSamples('image-to-video');
  if (samples.valid.kind !== 'multipart') throw new Error('multipart sample');
  const request = await imageToVideoPipeline.validate({ ...samples.valid, fields: {} }, AI_SUITE_LIMITS);
  t.equal(request.modelId, 'stabilityai/stable-video-diffusion-img2vid-xt');
  t.equal(imageToVideoPipeline.units(request, 'gateway'), 1024n * 576n * 25n);
  t.equal(imageToVideoPipeline.units(request, 'orchestrator'), 1024n * 576n * 25n);
  t.equal(imageToVideoPipeline.async, true, 'long: apps may ask for respond-async');
  const result = await imageToVideoPipeline.run(request, runner.endpoint, new AbortController().signal);
  t.same(runner.requests[0]!.request.fields, { width: '1024', height: '576', model_id: 'stabilityai/stable-video-diffusion-img2vid-xt' });
  if (result.kind !== 'json') throw new Error('json result');
  t.same(result.json, { images: [{ url: 'video-0.mp4', seed: 42, nsfw: false }] });
  const dir = t.testdir();
  const { writeFile } = await import('node:fs/promises');
  await writeFile(`${dir}/v.mp4`, result.files[0]!.data);
  const probed = await probeMedia(`${dir}/v.mp4`);
  t.equal(probed.video?.width, 1024);
  t.equal(probed.video?.height, 576);
  t.equal(probed.video?.frames, 4, 'one video frame per runner frame');
});

t.test('a runner answering several videos, or frames that are not images, is RESULT_INVALID', async (t) => {
  const frame = { url: 'data:image/png;base64,AAAA', seed: 1, nsfw: false };
  const answers = [JSON.stringify({ frames: [[frame], [frame]] }), JSON.stringify({ frames: [[frame]] }), JSON.stringify({ frames: [[{ ...frame, url: 'https://x/y.png' }]] })];
  let next = 0;
  const runner = await startAIRunnerDouble({ fault: () => ({ kind: 'body', contentType: 'application/json', body: answers[next++]! }) });
  t.teardown(() => runner.close());
  const samples = await aiPipelineSamples('image-to-video');
  const request = await imageToVideoPipeline.validate(samples.valid, AI_SUITE_LIMITS);
  await t.rejects(imageToVideoPipeline.run(request, runner.endpoint, new AbortController().signal), { code: errors.ai.RESULT_INVALID.code, message: /2 frame batches/ });
  await t.rejects(imageToVideoPipeline.run(request, runner.endpoint, new AbortController().signal), { code: errors.ai.RESULT_INVALID.code, message: /did not encode/ });
  await t.rejects(imageToVideoPipeline.run(request, runner.endpoint, new AbortController().signal), { code: errors.ai.RESULT_INVALID.code, message: /expected a data: URL/ });
});

t.test('ffmpeg missing is RUNNER_FAILED naming it', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const pipeline = createImageToVideoPipeline({ ffmpegPath: '/nonexistent/ffmpeg' });
  const request = await pipeline.validate((await aiPipelineSamples('image-to-video')).valid, AI_SUITE_LIMITS);
  await t.rejects(pipeline.run(request, runner.endpoint, new AbortController().signal), { code: errors.ai.RUNNER_FAILED.code, message: /ffmpeg not found/ });
});
