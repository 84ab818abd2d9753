import t from 'tap';
import { errors } from '@lpx/sdk';
import { AI_SUITE_LIMITS, aiPipelineSamples, aiPipelineSuite, runConformanceSuite, startAIRunnerDouble, type RunnerFault } from '@lpx/sdk/testing';
import { aiTextToImagePlugin, textToImagePipeline } from '../src/index.js';

t.test('conformance against the ai-runner double', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const report = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'text-to-image', runner: runner.endpoint, samples: await aiPipelineSamples('text-to-image') }),
    () => textToImagePipeline,
  );
  t.same(report.failed, [], 'no case fails');
  t.ok(report.passed.length >= 12, `${report.passed.length} cases passed`);
});

t.test('no size named: 512×512 goes to the runner and is what is billed (go-livepeer gateway default)', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const request = await textToImagePipeline.validate({ kind: 'json', json: { prompt: 'a cat' } }, AI_SUITE_LIMITS);
  t.equal(request.modelId, 'stabilityai/sdxl-turbo', 'the gateway default model');
  t.equal(textToImagePipeline.units(request, 'gateway'), 512n * 512n);
  t.equal(textToImagePipeline.units(request, 'orchestrator'), 512n * 512n);
  const result = await textToImagePipeline.run(request, runner.endpoint, new AbortController().signal);
  const sent = runner.requests[0]!.request.fields;
  t.same(sent, { prompt: 'a cat', height: 512, width: 512, num_images_per_prompt: 1, model_id: 'stabilityai/sdxl-turbo' });
  t.equal(result.kind, 'json');
  if (result.kind === 'json') {
    t.same(result.json, { images: [{ url: 'image-0.png', seed: 42, nsfw: false }] });
    t.equal(result.files[0]!.contentType, 'image/png');
  }
});

t.test('units: height × width × images', async (t) => {
  const request = await textToImagePipeline.validate({ kind: 'json', json: { prompt: 'x', width: 1024, height: 768, num_images_per_prompt: 3 } }, AI_SUITE_LIMITS);
  t.equal(textToImagePipeline.units(request, 'gateway'), 1024n * 768n * 3n);
});

t.test('validation names the field', async (t) => {
  const code = async (json: Record<string, unknown>, limits = AI_SUITE_LIMITS) =>
    textToImagePipeline.validate({ kind: 'json', json }, limits).then(() => 'accepted', (error: Error & { code: string }) => `${error.code}: ${error.message}`);
  t.match(await code({ prompt: 'x', loras: '{nope' }), /REQUEST_INVALID: loras: not valid JSON/);
  t.match(await code({ prompt: 'x', loras: '[1]' }), /loras: expected a JSON object/);
  t.equal(await code({ prompt: 'x', loras: '{"latent-consistency/lcm-lora-sdxl": 1.0}' }), 'accepted');
  t.match(await code({ prompt: 'x', num_images_per_prompt: 0 }), /num_images_per_prompt/);
  t.match(await code({ prompt: 'x', width: 5000 }), /LIMIT_EXCEEDED: width: 5000 is over the maxImageSide limit of 4096/);
  t.match(await code({ prompt: 'x', height: 12.5 }), /height: Expected integer/);
  t.match(await code({ prompt: 'x', negative_prompt: 'y'.repeat(20) }, { ...AI_SUITE_LIMITS, maxPromptChars: 10 }), /LIMIT_EXCEEDED: negative_prompt/);
});

t.test('runner failures keep the runner\'s words', async (t) => {
  const faults: RunnerFault[] = [
    { kind: 'status', status: 500, body: { detail: { msg: 'CUDA out of memory' } } },
    { kind: 'status', status: 422, body: { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] } },
    { kind: 'reset' },
    { kind: 'body', contentType: 'application/json', body: '{"images": "nope"}' },
    { kind: 'body', contentType: 'text/html', body: '<html>gateway</html>' },
  ];
  let next = 0;
  const runner = await startAIRunnerDouble({ fault: () => faults[next], token: 'sekret' });
  t.teardown(() => runner.close());
  const request = await textToImagePipeline.validate({ kind: 'json', json: { prompt: 'x' } }, AI_SUITE_LIMITS);
  const attempt = () => textToImagePipeline.run(request, runner.endpoint, new AbortController().signal).then(() => undefined, (error: Error & { code: string }) => error);

  let error = await attempt();
  t.equal(error?.code, errors.ai.RUNNER_FAILED.code);
  t.match(error?.message, /answered 500: CUDA out of memory/);
  t.equal(runner.requests[0]!.authorization, 'Bearer sekret', 'the Bearer token is sent');
  next += 1;
  error = await attempt();
  t.match(error?.message, /answered 422: body\.prompt: Field required/);
  next += 1;
  error = await attempt();
  t.equal(error?.code, errors.ai.RUNNER_FAILED.code, 'a connection reset');
  next += 1;
  error = await attempt();
  t.equal(error?.code, errors.ai.RESULT_INVALID.code);
  t.match(error?.message, /\/images/);
  next += 1;
  error = await attempt();
  t.equal(error?.code, errors.ai.RESULT_INVALID.code, 'not JSON');

  const wrongToken = (await textToImagePipeline.run(request, { ...runner.endpoint, token: 'wrong' }, new AbortController().signal).catch((e: Error) => e)) as Error;
  t.match(wrongToken.message, /answered 401: Invalid bearer token/);
});

t.test('a timeout on the signal is RUNNER_TIMEOUT, any other abort CANCELLED', async (t) => {
  const runner = await startAIRunnerDouble({ fault: () => ({ kind: 'delay', ms: 60_000 }) });
  t.teardown(() => runner.close());
  const request = await textToImagePipeline.validate({ kind: 'json', json: { prompt: 'x' } }, AI_SUITE_LIMITS);
  const timedOut = (await textToImagePipeline.run(request, runner.endpoint, AbortSignal.timeout(50)).catch((e: Error & { code: string }) => e)) as Error & { code: string };
  t.equal(timedOut.code, errors.ai.RUNNER_TIMEOUT.code);
  const controller = new AbortController();
  const running = textToImagePipeline.run(request, runner.endpoint, controller.signal);
  setTimeout(() => controller.abort(), 20);
  t.equal(((await running.catch((e: Error & { code: string }) => e)) as Error & { code: string }).code, errors.ai.CANCELLED.code);
});

t.test('the plugin adds the pipeline to ai.pipelines', async (t) => {
  t.equal(aiTextToImagePlugin.manifest.id, 'ai-text-to-image');
  t.same(aiTextToImagePlugin.manifest.requires?.extensionPoints, ['ai.pipelines']);
});
