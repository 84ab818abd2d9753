import t from 'tap';
import { errors } from '@lpx/sdk';
import { LABELS } from '@lpx/plugin-ai-runners';
import { jsonPipeline, requestFor } from '../../../plugins/ai-runners/test/runner-peer.js';
import { kernelServices } from './containers-probe.js';
import { modelsDir, runnersExecutor, until } from './runner-fixtures.js';

t.test('managed runners on Docker: warm pinned, cold on demand, eviction, no capacity, nothing left after stop', async (t) => {
  const kernel = await kernelServices(t, { docker: true });
  const executor = runnersExecutor(t, kernel, {
    aiModels: [
      { pipeline: 'text-to-image', model_id: 'warm/t2i', warm: true, price_per_unit: 3, pixels_per_unit: 1000 },
      { pipeline: 'llm', model_id: 'cold/a' },
      { pipeline: 'llm', model_id: 'cold/b' },
    ],
    // No GPU on this machine: the probe says why and both slots run without a device.
    gpus: '0',
    containersPerGpu: 2,
    modelsDir: modelsDir(t),
  });
  executor.start();
  await executor.warmed();
  // The reference runner starts in LOADING; like go-livepeer, a loading warm runner joins the pool once /health says IDLE.
  await until(() => executor.offers()[0]!.capacity === 1, 'the warm runner to report IDLE');
  t.same(
    executor.offers().map((o) => [o.pipeline, o.modelId, o.capacity, o.warm]),
    [
      ['text-to-image', 'warm/t2i', 1, true],
      ['llm', 'cold/a', 1, false],
      ['llm', 'cold/b', 1, false],
    ],
    'the warm runner is up; each cold model could get the one unpinned slot',
  );
  t.equal(executor.offers()[0]!.runnerVersion, '0.1.0', "the reference runner's /version");
  let containers = await kernel.containers.list();
  t.equal(containers.length, 1, 'one container: the warm one');
  const warm = containers[0]!;
  t.match(warm.name, /^lpx-[0-9a-f]{10}-text-to-image_warm-t2i_colocated-[01]-0$/, "go-livepeer's name shape, with the slot instead of a fixed port");
  t.same([warm.labels[LABELS.pipeline], warm.labels[LABELS.model], warm.labels[LABELS.warm], warm.labels.creator], ['text-to-image', 'warm/t2i', 'true', 'ai-worker']);
  t.equal(warm.ports.length, 1);
  t.match(warm.ports[0], { containerPort: 8000, hostIp: '127.0.0.1' }, 'published on loopback only, host port picked by the engine');
  t.ok(warm.ports[0]!.hostPort > 0);

  const signal = new AbortController().signal;
  const image = await executor.execute({ requestId: '1', pipeline: jsonPipeline('text-to-image'), request: requestFor('text-to-image', 'warm/t2i', { prompt: 'a lighthouse', width: 64, height: 64 }), signal });
  t.match(image, { kind: 'json', json: { images: [{ url: /^data:image\/png;base64,/ }] } }, 'text-to-image ran on the warm runner');

  const llm = jsonPipeline('llm');
  const chat = { model: 'cold/a', messages: [{ role: 'user', content: 'hello' }], max_tokens: 16 };
  const answer = await executor.execute({ requestId: '2', pipeline: llm, request: requestFor('llm', 'cold/a', chat), signal });
  t.match(answer, { kind: 'json', json: { choices: [{ message: { role: 'assistant' } }] } }, 'a cold model started on demand and answered');
  containers = await kernel.containers.list();
  t.same(containers.map((c) => c.labels[LABELS.model]).sort(), ['cold/a', 'warm/t2i'], 'the cold runner took the free slot');
  t.same(executor.offers().map((o) => o.capacity), [1, 1, 1], 'offers do not shrink for the cold runner: it can be evicted');

  await executor.execute({ requestId: '3', pipeline: llm, request: requestFor('llm', 'cold/b', { ...chat, model: 'cold/b' }), signal });
  containers = await kernel.containers.list();
  t.same(containers.map((c) => c.labels[LABELS.model]).sort(), ['cold/b', 'warm/t2i'], 'cold/a (idle, not warm) was evicted for cold/b; the warm runner stays');

  // cold/b busy and the other slot pinned by a warm runner: cold/a cannot start.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const held = executor.execute({ requestId: '4', pipeline: jsonPipeline('llm', async () => { entered(); await gate; }), request: requestFor('llm', 'cold/b', { ...chat, model: 'cold/b' }), signal });
  await inside;
  await t.rejects(executor.execute({ requestId: '5', pipeline: llm, request: requestFor('llm', 'cold/a', chat), signal }), { code: errors.ai.NO_CAPACITY.code, message: /insufficient capacity/ });
  const metrics = await kernel.metricsText();
  t.match(metrics, /lpx_ai_runners_probe_ai_container_in_use\{pipeline="llm",model_id="cold\/b"\} 1/, 'go-livepeer gauges: cold/b in use');
  t.match(metrics, /lpx_ai_runners_probe_ai_container_idle\{pipeline="text-to-image",model_id="warm\/t2i"\} 1/, 'the warm runner idle');
  t.match(metrics, /lpx_ai_runners_probe_ai_gpus_idle\{pipeline="llm",model_id="cold\/a"\} 0/, 'no free slot');
  release();
  t.equal((await held).kind, 'json');

  await executor.close();
  t.same(await kernel.containers.list(), [], 'stop removed every managed container');
});
