import t from 'tap';
import { LABELS } from '@lpx/plugin-ai-runners';
import { jsonPipeline, requestFor } from '../../../plugins/ai-runners/test/runner-peer.js';
import { kernelServices } from './containers-probe.js';
import { modelsDir, runnersExecutor, until } from './runner-fixtures.js';

const WARM = { pipeline: 'text-to-image', model_id: 'keep/me', warm: true };

t.test('after a crash the next instance adopts matching runners and removes the rest', async (t) => {
  const kernel = await kernelServices(t, { docker: true });
  const models = modelsDir(t);
  const signal = new AbortController().signal;

  // Instance A: a warm runner and a cold one, then it "crashes" (never closed; its watchdog would not tick for an hour).
  const a = runnersExecutor(t, kernel, { aiModels: [WARM, { pipeline: 'llm', model_id: 'dropped/model' }], containersPerGpu: 2, modelsDir: models, timeouts: { watchIntervalMs: 3_600_000 } });
  a.start();
  await a.warmed();
  await a.execute({ requestId: 'a', pipeline: jsonPipeline('llm'), request: requestFor('llm', 'dropped/model', { model: 'dropped/model', messages: [{ role: 'user', content: 'x' }] }), signal });
  const left = await kernel.containers.list();
  t.same(left.map((c) => c.labels[LABELS.model]).sort(), ['dropped/model', 'keep/me'], 'A left two runners behind');
  const warmId = left.find((c) => c.labels[LABELS.model] === 'keep/me')!.id;

  // Instance B, same node and plugin, the cold model gone from its config. It "crashes" later too, so its watchdog is idle as A's.
  const b = runnersExecutor(t, kernel, { aiModels: [WARM], containersPerGpu: 2, modelsDir: models, timeouts: { watchIntervalMs: 3_600_000 } });
  b.start();
  await b.warmed();
  let now = await kernel.containers.list();
  t.same(now.map((c) => c.id), [warmId], "the warm runner was adopted (same container), the dropped model's removed");
  await until(() => b.offers()[0]!.capacity === 1, 'the adopted runner in the pool');
  t.match(await b.execute({ requestId: 'b', pipeline: jsonPipeline('text-to-image'), request: requestFor('text-to-image', 'keep/me', { prompt: 'p', width: 64, height: 64 }), signal }), { kind: 'json' }, 'it serves on the adopted runner');
  t.same((await kernel.containers.list()).map((c) => c.id), [warmId], 'no new container was needed');

  // Instance C after B "crashed" too, with another models dir: the old runner no longer matches its spec.
  const c = runnersExecutor(t, kernel, { aiModels: [WARM], containersPerGpu: 2, modelsDir: modelsDir(t) });
  c.start();
  await c.warmed();
  now = await kernel.containers.list();
  t.equal(now.length, 1, 'one runner');
  t.not(now[0]!.id, warmId, 'the stale runner was removed and a new one started');
  await c.close();
  t.same(await kernel.containers.list(), [], 'nothing leaks');
});
