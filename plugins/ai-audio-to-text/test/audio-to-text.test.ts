import t from 'tap';
import { errors } from '@lpx/sdk';
import { AI_SUITE_LIMITS, aiPipelineSamples, aiPipelineSuite, aiTestAudio, runConformanceSuite, startAIRunnerDouble } from '@lpx/sdk/testing';
import { aiAudioToTextPlugin, audioToTextPipeline } from '../src/index.js';

t.test('conformance against the ai-runner double', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const report = await runConformanceSuite(
    aiPipelineSuite({ pipeline: 'audio-to-text', runner: runner.endpoint, samples: await aiPipelineSamples('audio-to-text') }),
    () => audioToTextPipeline,
  );
  t.same(report.failed, [], 'no case fails');
  t.ok(report.passed.length >= 10, `${report.passed.length} cases passed`);
});

t.test('the plugin adds the pipeline to ai.pipelines', async (t) => {
  t.equal(aiAudioToTextPlugin.manifest.id, 'ai-audio-to-text');
  t.same(aiAudioToTextPlugin.manifest.requires?.extensionPoints, ['ai.pipelines']);
});

t.test('units: whole seconds × 1000, as go-livepeer prices; under 1 s is refused', async (t) => {
  const units = async (durationMs: number) => {
    const samples = await aiPipelineSamples('audio-to-text', { audio: await aiTestAudio({ durationMs }) });
    const request = await audioToTextPipeline.validate(samples.valid, AI_SUITE_LIMITS);
    t.equal(request.measures['audioMs'], durationMs, 'the exact length is measured');
    return [audioToTextPipeline.units(request, 'gateway'), audioToTextPipeline.units(request, 'orchestrator')];
  };
  t.same(await units(2999), [2000n, 2000n]);
  t.same(await units(1000), [1000n, 1000n]);
  await t.rejects(units(900), { code: errors.ai.REQUEST_INVALID.code, message: /under 1 s/ });
  await t.rejects(
    audioToTextPipeline.validate((await aiPipelineSamples('audio-to-text')).valid, { ...AI_SUITE_LIMITS, maxAudioMs: 2000 }),
    { code: errors.ai.LIMIT_EXCEEDED.code, message: /audio: 2500 is over the maxAudioMs limit/ },
  );
});

t.test('MP3 and other containers are measured too; the transcript comes back as JSON', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const { execFileSync } = await import('node:child_process');
  const mp3 = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=duration=3', '-f', 'mp3', '-']);
  const request = await audioToTextPipeline.validate({ kind: 'multipart', fields: { return_timestamps: 'word' }, files: [{ field: 'audio', filename: 'a.mp3', contentType: 'audio/mpeg', data: new Uint8Array(mp3) }] }, AI_SUITE_LIMITS);
  t.equal(audioToTextPipeline.units(request, 'orchestrator'), 3000n);
  const result = await audioToTextPipeline.run(request, runner.endpoint, new AbortController().signal);
  t.same(result, { kind: 'json', json: { text: ' runner double transcript', chunks: [{ text: ' runner double transcript', timestamp: [0, 1] }] }, files: [] });
  t.equal(runner.requests[0]!.request.fields['return_timestamps'], 'word');
});
