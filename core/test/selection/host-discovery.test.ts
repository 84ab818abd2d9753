import t from 'tap';
import { coreServices, definePlugin, type OrchestratorCandidate } from '@lpx/sdk';
import discoveryStaticPlugin from '@lpx/plugin-discovery-static';
import selectionStakePlugin from '@lpx/plugin-selection-stake';
import { makeHost } from '../../../test/helpers/host.js';
import { testManifest } from '../../../test/helpers/plugins.js';

t.test('a real host boots discovery-static and selection-stake; the kernel discovery service sees the static candidates', async (t) => {
  let seen: OrchestratorCandidate[] | undefined;
  // The host has no discovery getter yet, so a tiny plugin asks the kernel service the way any plugin would.
  const probe = definePlugin({
    manifest: testManifest('discovery-probe', { requires: { services: ['core.discovery', 'core.lifecycle'], plugins: { 'discovery-static': '*' } } }),
    register(reg) {
      reg.registerInit({
        deps: { discovery: coreServices.discovery, lifecycle: coreServices.lifecycle },
        init({ discovery, lifecycle }) {
          lifecycle.onStart(async () => {
            seen = await discovery.candidates();
          });
        },
      });
    },
  });
  const host = makeHost(t, [discoveryStaticPlugin, selectionStakePlugin, probe], {
    node: { roles: ['gateway'] },
    plugins: {
      'discovery-static': { config: { orchAddr: 'o1.example.com, :7935, https://o3.example.com:9000, o1.example.com:8935' } },
      'selection-stake': { config: { stakeWeight: 0.5, randWeight: 0.5 } },
    },
  });
  await host.start();
  t.equal(host.state, 'ready');
  t.same(seen, [
    { uri: 'https://o1.example.com:8935', score: 1 },
    { uri: 'https://127.0.0.1:7935', score: 1 },
    { uri: 'https://o3.example.com:9000', score: 1 },
  ]);
});

t.test('selection weights that do not sum to 1 stop the boot with a coded error naming the plugin', async (t) => {
  const host = makeHost(t, [selectionStakePlugin], { plugins: { 'selection-stake': { config: { stakeWeight: 0.9 } } } });
  await t.rejects(host.start(), { code: 'LPX_ERR_PLUGIN_INIT_FAILED', message: /selection-stake.*sum to 1/ });
});
