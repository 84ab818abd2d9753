import t from 'tap';
import { REFERENCE_RUNNER_LABEL, REFERENCE_RUNNER_REPO } from '../../../../plugins/ai-runners/src/reference-image/index.js';
import { referenceRunnerImage } from '../../../helpers/reference-runner-image.js';
import { fetchBounded, startRunnerContainer } from './containers.js';

t.test('the image: built from the cached rootfs, tagged by content, labelled; a second build is one inspect', async (t) => {
  const first = await referenceRunnerImage(t);
  t.match(first.ref, new RegExp(`^${REFERENCE_RUNNER_REPO}:0\\.1\\.0-[0-9a-f]{12}$`));
  t.equal(first.image.labels[REFERENCE_RUNNER_LABEL], '0.1.0');
  t.comment(`image ${first.ref}: ${(first.image.sizeBytes / 1e6).toFixed(0)} MB; timings ${JSON.stringify(first.timings)}${first.rootfsTarBytes ? `; rootfs tar ${(first.rootfsTarBytes / 1e6).toFixed(0)} MB` : ''}`);
  const { buildReferenceRunnerImage } = await import('../../../../plugins/ai-runners/src/reference-image/index.js');
  const again = await buildReferenceRunnerImage(first.runtime, { build: false });
  t.equal(again.ref, first.ref);
  t.equal(again.image.id, first.image.id);
  t.same(Object.keys(again.timings), ['bundleMs'], 'nothing imported or built');
});

t.test('a runner container: ai-runner\'s env, cold start to IDLE, info routes, one pipeline only, clean stop', async (t) => {
  const { ref, runtime } = await referenceRunnerImage(t);
  const runner = await startRunnerContainer(t, runtime, ref, { PIPELINE: 'text-to-image', MODEL_ID: 'stabilityai/sdxl-turbo' });
  t.equal(runner.health, 'IDLE');
  const loadedIn = /loaded in (\d+) ms/.exec(await runtime.logs(runner.id))?.[1];
  t.comment(`cold start to /health IDLE: ${runner.coldStartMs} ms (of which the engine check: ${loadedIn ?? '?'} ms)`);
  t.same(await (await fetchBounded(`${runner.url}/version`)).json(), { pipeline: 'text-to-image', model_id: 'stabilityai/sdxl-turbo', version: '0.1.0' });
  t.match(await (await fetchBounded(`${runner.url}/hardware/info`)).json(), { gpu_info: {}, cpu_info: { cores: Number } });
  t.equal((await fetchBounded(`${runner.url}/llm`, { method: 'POST' })).status, 404);
  const started = Date.now();
  await runtime.stop(runner.id, { timeoutMs: 10_000 });
  const stopped = await runtime.inspect(runner.id);
  t.equal(stopped?.state, 'exited');
  t.equal(stopped?.exitCode, 0, 'SIGTERM: the runner exits 0');
  t.comment(`stop: ${Date.now() - started} ms`);
});

t.test('a container without PIPELINE exits 1 with the runner\'s EnvironmentError', async (t) => {
  const { ref, runtime } = await referenceRunnerImage(t);
  const error = await startRunnerContainer(t, runtime, ref, { MODEL_ID: 'x' }).catch((e: unknown) => e as Error);
  t.match(String(error), /runner exited \(1\).*EnvironmentError: Pipeline must be provided/s);
});
