// An idle gateway keeps discovering: with no job submitted, it runs a
// discovery round every `gateway.poolRefreshMs`, so orchestrators discovery
// adds later reach the pool and suspensions count down.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin, discoveryStrategiesExtensionPoint } from '@lpx/sdk';
import { makeHost } from '../../../test/helpers/host.js';
import { testManifest } from '../../../test/helpers/plugins.js';

t.test('an idle gateway runs a discovery round every poolRefreshMs', async (t) => {
  let rounds = 0;
  const counting = definePlugin({
    manifest: testManifest('discovery-counting', { requires: { extensionPoints: ['discovery.strategies'] } }),
    register(reg) {
      reg.registerInit({
        deps: { strategies: discoveryStrategiesExtensionPoint },
        init({ strategies }) {
          strategies.addStrategy({
            name: 'counting',
            discover: async () => {
              rounds++;
              return [];
            },
          });
        },
      });
    },
  });
  const host = makeHost(t, [counting], { node: { roles: ['gateway'] }, gateway: { poolRefreshMs: 150 } });
  await host.start();
  const atStart = rounds;
  await sleep(1_000);
  t.ok(rounds - atStart >= 3, `discovery ran ${rounds - atStart} more times in 1 s without any job`);
  await host.stop();
  const afterStop = rounds;
  await sleep(400);
  t.equal(rounds, afterStop, 'and stops with the node');
});
