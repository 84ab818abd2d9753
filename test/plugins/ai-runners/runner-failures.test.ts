import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { errors, type AIPipeline } from '@lpx/sdk';
import { jsonPipeline, requestFor } from '../../../plugins/ai-runners/test/runner-peer.js';
import { kernelServices } from './containers-probe.js';
import { modelsDir, runnersExecutor, until } from './runner-fixtures.js';

t.test('warm runners on Docker: held out while LOADING, re-warmed when they die, restarted after a failed or hung request', async (t) => {
  const kernel = await kernelServices(t, { docker: true });
  const models = modelsDir(t);
  const executor = runnersExecutor(t, kernel, {
    // The reference runner waits for this file before it leaves LOADING; optimization_flags become its env.
    aiModels: [{ pipeline: 'llm', model_id: 'warm/llm', warm: true, optimization_flags: { LPX_REFERENCE_LOAD_GATE: '/models/gate' } }],
    modelsDir: models,
    timeouts: { requestMs: 5_000 },
  });
  executor.start();
  await executor.warmed();
  t.equal((await kernel.containers.list()).length, 1, 'the warm runner is started');
  t.equal(executor.offers()[0]!.capacity, 0, 'still LOADING: not offered');
  const signal = new AbortController().signal;
  const llm = jsonPipeline('llm');
  const chat = { model: 'warm/llm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 };
  await t.rejects(executor.execute({ requestId: 'early', pipeline: llm, request: requestFor('llm', 'warm/llm', chat), signal }), { code: errors.ai.NO_CAPACITY.code }, 'a loading warm runner is not lent and the only slot is pinned');
  writeFileSync(join(models, 'gate'), '');
  await until(() => executor.offers()[0]!.capacity === 1, 'the runner to report IDLE');
  t.match(await executor.execute({ requestId: 'ok', pipeline: llm, request: requestFor('llm', 'warm/llm', chat), signal }), { kind: 'json' });

  const current = async () => (await kernel.containers.list()).filter((c) => c.state === 'running').map((c) => c.id);
  const first = (await current())[0]!;

  // Stopped behind the node's back (the engine's on-failure policy does not restart a stopped container).
  await kernel.containers.stop(first, { timeoutMs: 0 });
  await until(async () => (await current()).some((id) => id !== first) && executor.offers()[0]!.capacity === 1, 'the watchdog to re-warm the runner');
  const second = (await current())[0]!;
  t.not(second, first, 'two failed health checks: destroyed and started again (warm)');
  t.same((await kernel.containers.list()).map((c) => c.id), [second], 'the dead one was removed');

  // The runner dies while a request is on it: RUNNER_FAILED, and the runner is restarted.
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  let proceed!: () => void;
  const gate = new Promise<void>((resolve) => (proceed = resolve));
  const dying = executor.execute({ requestId: 'dies', pipeline: jsonPipeline('llm', async () => { entered(); await gate; }), request: requestFor('llm', 'warm/llm', chat), signal });
  await inside;
  await kernel.containers.stop(second, { timeoutMs: 0 });
  proceed();
  await t.rejects(dying, { code: errors.ai.RUNNER_FAILED.code, message: /restarted/ });
  await until(async () => (await current()).some((id) => id !== second) && executor.offers()[0]!.capacity === 1, 'the runner to be restarted');
  const third = (await current())[0]!;

  // The runner hangs (no answer within requestMs): RUNNER_TIMEOUT, and the runner is restarted.
  const hangs: AIPipeline = { ...llm, run: (_r, _e, s) => new Promise((_, reject) => s.addEventListener('abort', () => reject(s.reason as Error))) };
  await t.rejects(executor.execute({ requestId: 'hangs', pipeline: hangs, request: requestFor('llm', 'warm/llm', chat), signal }), { code: errors.ai.RUNNER_TIMEOUT.code });
  await until(async () => (await current()).some((id) => id !== third) && executor.offers()[0]!.capacity === 1, 'the hung runner to be replaced');

  // The caller goes away: CANCELLED, the runner stays.
  const caller = new AbortController();
  const before = await current();
  const cancelled = executor.execute({ requestId: 'gone', pipeline: hangs, request: requestFor('llm', 'warm/llm', chat), signal: caller.signal });
  caller.abort();
  await t.rejects(cancelled, { code: errors.ai.CANCELLED.code });
  t.same(await current(), before, 'a cancelled request does not cost the runner');
  t.match(await executor.execute({ requestId: 'after', pipeline: llm, request: requestFor('llm', 'warm/llm', chat), signal }), { kind: 'json' }, 'and it serves the next one');
});
