import t from 'tap';
import { coreServices, createExtensionPoint, definePlugin } from '@lpx/sdk';
import { buildPluginGraph } from '../../src/plugins/plugin-graph.js';
import { registerPlugin } from '../../src/plugins/registration.js';
import { testManifest, trivialPlugin } from '../../../test/helpers/plugins.js';

const kernel = { services: new Set(Object.values(coreServices).map((r) => r.id)), extensionPoints: new Set(['discovery.strategies']) };
const widgets = createExtensionPoint<{ add(name: string): void }>({ id: 'owner.widgets' });

const owner = definePlugin({
  manifest: testManifest('owner', { provides: { extensionPoints: ['owner.widgets'] } }),
  register(reg) {
    reg.registerExtensionPoint(widgets, { add: () => {} });
    reg.registerInit({ deps: {}, init: () => {} });
  },
});
const consumer = definePlugin({
  manifest: testManifest('consumer', { requires: { extensionPoints: ['owner.widgets'] } }),
  register(reg) {
    reg.registerInit({ deps: { widgets }, init: ({ widgets }) => widgets.add('x') });
  },
});

t.test('dependencies and extension-point consumers come first', async (t) => {
  const a = trivialPlugin('a');
  const b = trivialPlugin('b', () => {}, { requires: { plugins: { a: '^1.0.0' } } });
  const graph = buildPluginGraph([b, a, owner, consumer].map(registerPlugin), kernel);
  t.ok(graph.order.indexOf('a') < graph.order.indexOf('b'), 'a before b');
  t.ok(graph.order.indexOf('consumer') < graph.order.indexOf('owner'), 'consumer before owner');
  t.equal(graph.extensionPointOwners.get('owner.widgets'), 'owner');
  t.equal(graph.extensionPointOwners.get('discovery.strategies'), 'core');
});

t.test('cycles are reported with the path', async (t) => {
  const a = trivialPlugin('a', () => {}, { requires: { plugins: { b: '*' } } });
  const b = trivialPlugin('b', () => {}, { requires: { plugins: { c: '*' } } });
  const c = trivialPlugin('c', () => {}, { requires: { plugins: { a: '*' } } });
  t.throws(() => buildPluginGraph([a, b, c].map(registerPlugin), kernel), { code: 'LPX_ERR_PLUGIN_DEPENDENCY_CYCLE', message: /a -> b -> c -> a/ });
});

t.test('missing plugins, versions, services and extension points', async (t) => {
  const needsGhost = trivialPlugin('x', () => {}, { requires: { plugins: { ghost: '^1' } } });
  t.throws(() => buildPluginGraph([registerPlugin(needsGhost)], kernel), { code: 'LPX_ERR_PLUGIN_DEPENDENCY_MISSING', message: /requires plugin ghost/ });
  const needsNewA = trivialPlugin('y', () => {}, { requires: { plugins: { a: '^2.0.0' } } });
  t.throws(() => buildPluginGraph([trivialPlugin('a'), needsNewA].map(registerPlugin), kernel), { message: /requires plugin a \^2\.0\.0, but 1\.0\.0 is configured/ });
  const needsService = trivialPlugin('z', () => {}, { requires: { services: ['core.lifecycle', 'core.teleport'] } });
  t.throws(() => buildPluginGraph([registerPlugin(needsService)], kernel), { code: 'LPX_ERR_PLUGIN_DEPENDENCY_MISSING', message: /core\.teleport/ });
  t.throws(() => buildPluginGraph([registerPlugin(consumer)], kernel), { code: 'LPX_ERR_PLUGIN_DEPENDENCY_MISSING', message: /owner\.widgets, which nothing provides/ });
});

t.test('duplicate ids and duplicate extension point owners', async (t) => {
  t.throws(() => buildPluginGraph([trivialPlugin('a'), trivialPlugin('a')].map(registerPlugin), kernel), { code: 'LPX_ERR_PLUGIN_DUPLICATE_ID' });
  const rival = definePlugin({
    manifest: testManifest('rival', { provides: { extensionPoints: ['owner.widgets'] } }),
    register(reg) {
      reg.registerExtensionPoint(widgets, { add: () => {} });
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  t.throws(() => buildPluginGraph([owner, rival].map(registerPlugin), kernel), { code: 'LPX_ERR_PLUGIN_EXTENSION_POINT_ILLEGAL', message: /both owner and rival/ });
  const coreRival = definePlugin({
    manifest: testManifest('core-rival', { provides: { extensionPoints: ['discovery.strategies'] } }),
    register(reg) {
      reg.registerExtensionPoint(createExtensionPoint({ id: 'discovery.strategies' }), {});
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  t.throws(() => buildPluginGraph([registerPlugin(coreRival)], kernel), { message: /both core and core-rival/ });
});
