import t from 'tap';
import { errors } from '@lpx/sdk';
import { aiRunnersPlugin } from '@lpx/plugin-ai-runners';
import { startRunnerPeer } from '../../../plugins/ai-runners/test/runner-peer.js';
import { makeHost } from '../../helpers/host.js';

t.test('the plugin boots on a worker node from its config and stops cleanly', async (t) => {
  const peer = await startRunnerPeer(t);
  const host = makeHost(t, [aiRunnersPlugin], { plugins: { 'ai-runners': { config: { aiModels: [{ pipeline: 'llm', model_id: 'm', url: peer.url }], timeouts: { pollMs: 20 } } } } });
  await host.start();
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = () => (peer.seen.some((s) => s.path === '/health') ? resolve() : Date.now() > deadline ? reject(new Error('no /health call')) : setTimeout(poll, 20));
    poll();
  });
  t.pass('the executor started and checked its external runner');
  await host.stop();
});

t.test('a bad aiModels entry stops the boot with CONFIG_INVALID naming the entry', async (t) => {
  const host = makeHost(t, [aiRunnersPlugin], { plugins: { 'ai-runners': { config: { aiModels: 'text-to-image:a:true,text-to-image:a:false' } } } });
  const error = await host.start().then(() => undefined, (e: Error) => e);
  t.ok(error, 'the node did not start');
  const chain: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) chain.push(`${(e as { code?: string }).code ?? ''} ${e.message}`);
  t.match(chain.join('\n'), new RegExp(`${errors.ai.CONFIG_INVALID.code}|aiModels\\[1\\] \\(text-to-image a\\).*both warm and cold`));
  t.match(chain.join('\n'), /aiModels\[1\] \(text-to-image a\).*both warm and cold/);
});
