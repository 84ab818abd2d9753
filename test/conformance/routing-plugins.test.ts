import t from 'tap';
import { discoveryStrategySuite, runConformanceSuite, selectionAlgorithmSuite, type ConformanceSuite } from '@lpx/sdk/testing';
import { discoveryStrategiesExtensionPoint, selectionAlgorithmsExtensionPoint } from '@lpx/sdk';
import { conformanceFixtures } from './fixtures.js';
import { instantiatePlugin, loadPluginDefinition, pluginsRequiring, type InstantiatedPlugin } from './plugin-harness.js';

/**
 * Every plugin in plugins/ that consumes a routing extension point runs that
 * point's sdk conformance suite, on each implementation it contributes. New
 * plugins are found from their manifests: nothing to register here.
 */
const points = [
  { id: discoveryStrategiesExtensionPoint.id, suite: discoveryStrategySuite as ConformanceSuite<unknown>, contributed: (p: InstantiatedPlugin) => p.strategies },
  { id: selectionAlgorithmsExtensionPoint.id, suite: selectionAlgorithmSuite as ConformanceSuite<unknown>, contributed: (p: InstantiatedPlugin) => p.algorithms },
];

for (const point of points) {
  const plugins = pluginsRequiring(point.id);
  t.test(`${point.id}: plugins found`, async (t) => {
    t.ok(plugins.length > 0, `at least one plugin in plugins/ requires ${point.id}`);
  });

  for (const plugin of plugins) {
    t.test(`${point.id}: ${plugin.manifest.id} (${plugin.packageName})`, async (t) => {
      const definition = await loadPluginDefinition(plugin);
      t.equal(definition.manifest.id, plugin.manifest.id, 'the package exports the plugin its manifest describes');
      const config = (await conformanceFixtures[plugin.manifest.id]?.(t)) ?? {};

      const probe = await instantiatePlugin(definition, config);
      await probe.stop();
      const names = point.contributed(probe).map((impl) => (impl as { name: string }).name);
      t.ok(names.length > 0, `${plugin.manifest.id} requires ${point.id} and must contribute to it (add a fixture in test/conformance/fixtures.ts if it needs config)`);

      for (const [index, name] of names.entries()) {
        const instances: InstantiatedPlugin[] = [];
        t.teardown(() => Promise.all(instances.map((i) => i.stop())));
        // A fresh plugin instance per case, so no case sees another's cache or state.
        const report = await runConformanceSuite(point.suite, async () => {
          const instance = await instantiatePlugin(definition, config);
          instances.push(instance);
          return point.contributed(instance)[index];
        });
        t.same(report.failed, [], `${name}: every ${point.id} conformance case passes`);
        t.equal(report.passed.length, point.suite.cases.length, `${name}: ran all ${point.suite.cases.length} cases`);
      }
    });
  }
}
