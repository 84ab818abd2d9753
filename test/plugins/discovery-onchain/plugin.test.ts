import t from 'tap';
import { discoveryStrategiesExtensionPoint, type DiscoveryStrategy, type LifecycleHook } from '@lpx/sdk';
import { validatePluginConfig } from '../../../core/src/config/load-config.js';
import plugin, { OnchainDiscoveryStrategy } from '../../../plugins/discovery-onchain/src/index.js';
import { captureLogger } from './chain-fixture.js';

const CONTROLLER = '0xD8E8328501E9645d16Cf49539efC04f734606ee4';
const validate = (config: unknown) => validatePluginConfig('discovery-onchain', plugin.manifest.config, config);

t.test('the manifest schema requires rpcUrl and controller and fills the defaults', async (t) => {
  t.same(validate({ rpcUrl: 'http://127.0.0.1:8545', controller: CONTROLLER }), {
    rpcUrl: 'http://127.0.0.1:8545',
    controller: CONTROLLER,
    refreshMs: 60_000,
    timeoutMs: 10_000,
    includeInactive: false,
  });
  t.throws(() => validate({ controller: CONTROLLER }), { code: 'LPX_ERR_CONFIG_INVALID', message: /rpcUrl/ });
  t.throws(() => validate({ rpcUrl: 'http://x', controller: '0x1234' }), { code: 'LPX_ERR_CONFIG_INVALID', message: /controller/ });
  t.throws(() => validate({ rpcUrl: 'ws://x', controller: CONTROLLER }), { code: 'LPX_ERR_CONFIG_INVALID', message: /rpcUrl/ });
  t.throws(() => validate({ rpcUrl: 'http://x', controller: CONTROLLER, aiServiceRegistry: 'yes' }), { code: 'LPX_ERR_CONFIG_INVALID', message: /aiServiceRegistry/ });
  t.throws(() => validate({ rpcUrl: 'http://x', controller: CONTROLLER, refreshMs: 0 }), { code: 'LPX_ERR_CONFIG_INVALID', message: /refreshMs/ });
  t.throws(() => validate({ rpcUrl: 'http://x', controller: CONTROLLER, stake: true }), { code: 'LPX_ERR_CONFIG_UNKNOWN_KEY' });
});

t.test('init contributes the onchain strategy, reads once at start (a failure is only logged) and closes on shutdown', async (t) => {
  const { lines, logger } = captureLogger();
  const strategies: DiscoveryStrategy[] = [];
  const onStart: LifecycleHook[] = [];
  const onShutdown: LifecycleHook[] = [];
  // Nothing listens on port 1: the start-up read fails like an RPC that is down.
  const config = validate({ rpcUrl: 'http://127.0.0.1:1', controller: CONTROLLER });
  let init: ((deps: never) => unknown) | undefined;
  plugin.register({ registerExtensionPoint: () => t.fail('provides no extension point'), registerInit: (i: { init: (deps: never) => unknown }) => void (init = i.init) } as never);
  await init!({
    config: { get: () => config },
    logger,
    lifecycle: { onStart: (h: LifecycleHook) => void onStart.push(h), onShutdown: (h: LifecycleHook) => void onShutdown.push(h) },
    strategies: { addStrategy: (s: DiscoveryStrategy) => void strategies.push(s) },
  } as never);
  t.equal(plugin.manifest.requires?.extensionPoints?.[0], discoveryStrategiesExtensionPoint.id);
  t.equal(strategies.length, 1);
  t.ok(strategies[0] instanceof OnchainDiscoveryStrategy);
  t.equal(strategies[0]?.name, 'onchain');
  for (const hook of onStart) await hook();
  // The start hook does not wait for the read (a slow RPC must not hold up boot), so poll for its log line.
  for (let waited = 0; waited < 5000 && !lines.some((l) => /initial on-chain discovery read failed/.test(l.message ?? '')); waited += 10) await new Promise((r) => setTimeout(r, 10));
  t.match(lines.at(-1), { level: 'warn', bindings: { code: 'LPX_ERR_DISCOVERY_NO_CANDIDATES' } });
  for (const hook of onShutdown) await hook();
  await t.rejects(strategies[0]!.discover(new AbortController().signal), { code: 'LPX_ERR_DISCOVERY_NO_CANDIDATES', message: /shut down/ });
});
