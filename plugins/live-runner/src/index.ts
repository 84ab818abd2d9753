/**
 * @lpx/plugin-live-runner: go-livepeer's Live Runner on an lpx orchestrator
 * (docs/adr/0040-live-runner.md). Everything is mounted on the orchestrator's
 * front door through coreServices.orchestratorWire, paid through its wire
 * payments, and realtime channels come from the `trickle.channels` service.
 */
import type { Server } from 'node:http';
import { coreServices, definePlugin, liveRunnerRegistryRef, trickleServiceRef, type LiveRunnerRegistry, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { registerControlRoutes } from './http/control-routes.js';
import { ProxyResolver, registerProxyRoutes } from './http/proxy-routes.js';
import { listenForUpgrades } from './http/upgrade.js';
import { LiveRunnerNode } from './live-runner-node.js';
import { fromGoStaticEntry } from './registry/runner-spec.js';

export { LiveRunnerNode, type LiveRunnerSettings } from './live-runner-node.js';
export { balanceCovers } from './payments/session-payments.js';
export { MAX_CHANNELS_PER_REQUEST } from './http/control-routes.js';
export { O2R_KEEPALIVE } from './registry/o2r-channel.js';
export { goDuration } from './registry/dynamic-runners.js';
export { parseProxyTemplate } from './registry/proxy-template.js';

const manifest = manifestJson as PluginManifest;

export interface LiveRunnerConfig {
  readonly runners?: readonly Record<string, unknown>[];
  readonly dynamic?: boolean;
  readonly heartbeatIntervalMs?: number;
  readonly heartbeatTtlMs?: number;
  readonly healthIntervalMs?: number;
  readonly healthTimeoutMs?: number;
  readonly paymentIntervalMs?: number;
  readonly o2rIntervalMs?: number;
  readonly proxyUrl?: string;
}

const DISABLED: LiveRunnerRegistry = {
  enabled: false,
  registerStatic: async () => [],
  removeStatic: async () => undefined,
  list: () => [],
  onSession: () => () => undefined,
};

export const liveRunnerPlugin = definePlugin({
  manifest,
  register(reg) {
    let registry: LiveRunnerRegistry = DISABLED;
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, lifecycle: coreServices.lifecycle, wire: coreServices.orchestratorWire, trickle: trickleServiceRef },
      init({ config, logger, lifecycle, wire, trickle }) {
        if (!wire.enabled) {
          logger.info('no orchestrator role on this node: live runners are not served');
          return;
        }
        const settings = config.get<LiveRunnerConfig>();
        const node = new LiveRunnerNode({
          wire,
          trickle,
          settings: {
            dynamic: settings.dynamic ?? false,
            heartbeatIntervalMs: settings.heartbeatIntervalMs ?? 5000,
            heartbeatTtlMs: settings.heartbeatTtlMs ?? 20_000,
            healthIntervalMs: settings.healthIntervalMs ?? 5000,
            healthTimeoutMs: settings.healthTimeoutMs ?? 3000,
            paymentIntervalMs: settings.paymentIntervalMs ?? 5000,
            o2rIntervalMs: settings.o2rIntervalMs ?? 10_000,
            ...(settings.proxyUrl !== undefined ? { proxyUrl: settings.proxyUrl } : {}),
          },
          onError: (err, context) => logger.warn({ err }, context),
        });
        if (settings.dynamic === true && !wire.secretConfigured) logger.warn('live runner dynamic registration is on but orchestrator.secret is not set: every heartbeat is refused');
        const resolver = new ProxyResolver(node);
        let stopUpgrades: (() => void) | undefined;
        wire.register(async (scope) => {
          await scope.register(async (control) => registerControlRoutes(control, node));
          await scope.register(async (proxy) => registerProxyRoutes(proxy, node, resolver));
          stopUpgrades = listenForUpgrades(scope.server as unknown as Server, node, resolver);
        });
        registry = node.registry();
        lifecycle.onStart(async () => {
          node.start();
          const entries = (settings.runners ?? []).map(fromGoStaticEntry);
          if (entries.length > 0) {
            const views = await registry.registerStatic(entries);
            logger.info({ runners: views.map((v) => ({ runnerId: v.runnerId, route: v.route, app: v.app, ready: v.ready })) }, 'static live runners registered');
          }
        });
        lifecycle.onShutdown(() => {
          stopUpgrades?.();
          node.stop();
        });
      },
    });
    reg.registerService(liveRunnerRegistryRef, { deps: {}, factory: () => registry });
  },
});

export default liveRunnerPlugin;
