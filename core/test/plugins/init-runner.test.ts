import t from 'tap';
import { runInits } from '../../src/plugins/init-runner.js';
import type { PluginGraph } from '../../src/plugins/plugin-graph.js';

function graph(deps: Record<string, string[]>): PluginGraph {
  const dependsOn = new Map(Object.entries(deps).map(([k, v]) => [k, new Set(v)]));
  return { order: Object.keys(deps), dependsOn, extensionPointOwners: new Map(), serviceProviders: new Map() };
}
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('independent branches run in parallel; dependents wait', async (t) => {
  const log: string[] = [];
  let running = 0;
  let maxRunning = 0;
  await runInits(
    graph({ a: [], b: [], c: ['a', 'b'] }),
    async (id) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${id}`);
      await tick(20);
      log.push(`end ${id}`);
      running--;
    },
    () => 1000,
  );
  t.equal(maxRunning, 2, 'a and b overlapped');
  t.ok(log.indexOf('start c') > log.indexOf('end a') && log.indexOf('start c') > log.indexOf('end b'), 'c started after a and b ended');
});

t.test('a throwing init stops scheduling and names the plugin', async (t) => {
  const ran: string[] = [];
  const error = await runInits(
    graph({ a: [], b: ['a'] }),
    async (id) => {
      ran.push(id);
      if (id === 'a') throw new Error('disk on fire');
    },
    () => 1000,
  ).catch((e: unknown) => e as Error & { initialised: string[] });
  t.match(error, { code: 'LPX_ERR_PLUGIN_INIT_FAILED', message: /plugin a failed to initialise: disk on fire/ });
  t.same(ran, ['a'], 'b never ran');
  t.same((error as { initialised: string[] }).initialised, []);
});

t.test('a hanging init times out with a coded error', async (t) => {
  const error = await runInits(graph({ slow: [], fast: [] }), (id) => (id === 'slow' ? new Promise<void>(() => {}) : Promise.resolve()), () => 50).catch((e: unknown) => e);
  t.match(error, { code: 'LPX_ERR_PLUGIN_INIT_TIMEOUT', message: /plugin slow did not finish init within 50 ms/, initialised: ['fast'] });
});
