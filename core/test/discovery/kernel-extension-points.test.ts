import t from 'tap';
import type { LoggerService, SelectionAlgorithm } from '@lpx/sdk';
import { KernelDiscovery } from '../../src/discovery/discovery-service.js';
import { SelectionRegistry } from '../../src/selection/selection-registry.js';

t.test('discovery merges strategies, first uri wins, a failing strategy is logged and skipped', async (t) => {
  const warnings: unknown[] = [];
  const logger = { warn: (bindings: unknown) => void warnings.push(bindings) } as unknown as LoggerService;
  const discovery = new KernelDiscovery(logger);
  discovery.addStrategy({ name: 'a', discover: async () => [{ uri: 'https://o1:8935', score: 1 }, { uri: 'https://o2:8935' }] });
  discovery.addStrategy({ name: 'broken', discover: async () => Promise.reject(new Error('webhook down')) });
  discovery.addStrategy({ name: 'b', discover: async () => [{ uri: 'https://o1:8935', score: 0.1 }, { uri: 'https://o3:8935' }] });
  const candidates = await discovery.candidates();
  t.same(candidates.map((c) => c.uri), ['https://o1:8935', 'https://o2:8935', 'https://o3:8935']);
  t.equal(candidates[0]?.score, 1, 'the first strategy to name a uri wins');
  t.match(warnings, [{ strategy: 'broken', err: { message: 'webhook down' } }]);
  t.throws(() => discovery.addStrategy({ name: 'a', discover: async () => [] }), { code: 'LPX_ERR_PLUGIN_EXTENSION_POINT_ILLEGAL', message: /registered twice/ });
});

t.test('selection algorithms are looked up by name and registered once', async (t) => {
  const registry = new SelectionRegistry();
  const algorithm: SelectionAlgorithm = { name: 'first', select: (c) => c.slice(0, 1) };
  registry.addAlgorithm(algorithm);
  t.equal(registry.get('first'), algorithm);
  t.equal(registry.get('missing'), undefined);
  t.same(registry.names, ['first']);
  t.throws(() => registry.addAlgorithm(algorithm), { code: 'LPX_ERR_PLUGIN_EXTENSION_POINT_ILLEGAL' });
});
