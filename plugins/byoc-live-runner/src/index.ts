/**
 * @lpx/plugin-byoc-live-runner: the bridge between BYOC hosting
 * (`byoc.hosted`) and the Live Runner registry (`live-runner.registry`), so
 * go-livepeer Live Runner clients can discover, pay and call hosted BYOC apps
 * (docs/adr/0040-live-runner.md). Each app is registered on its own — one
 * refused app never keeps the others out — and changes are applied in order.
 */
import { byocHostedServiceRef, coreServices, definePlugin, liveRunnerRegistryRef, type HostedByocApp, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { hostedRunner } from './hosted-runner.js';

export { hostedRunner, type Conversion } from './hosted-runner.js';

const manifest = manifestJson as PluginManifest;

/** How often the bridge looks for apps whose capability was withdrawn. */
const WITHDRAWN_CHECK_MS = 1000;

export const byocLiveRunnerPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { logger: coreServices.logger, lifecycle: coreServices.lifecycle, capabilities: coreServices.capabilities, hosted: byocHostedServiceRef, runners: liveRunnerRegistryRef },
      init({ logger, lifecycle, capabilities, hosted, runners }) {
        if (!runners.enabled) {
          logger.info('live runners are not served on this node (no orchestrator role): hosted BYOC apps are not bridged');
          return;
        }
        const registered = new Set<string>();
        let queue: Promise<void> = Promise.resolve();
        let stopped = false;

        // A ready app whose capability the node holds at capacity 0 was withdrawn (a revoked release,
        // ADR 0037): it leaves the Live Runner route too, and comes back if the capacity does.
        const withdrawn = (app: HostedByocApp): boolean => app.ready && capabilities.get(app.capabilityId)?.capacity === 0;
        let lastWithdrawn = '';

        const sync = async (all: readonly HostedByocApp[]): Promise<void> => {
          const apps = all.filter((app) => !withdrawn(app));
          const present = new Set(apps.map((app) => app.name));
          for (const name of [...registered]) {
            if (present.has(name)) continue;
            await runners.removeStatic(name);
            registered.delete(name);
            logger.info({ app: name }, 'hosted BYOC app gone or withdrawn: live runner removed');
          }
          for (const app of apps) {
            // Unready apps already registered stay: the registry's health checks hide them until they recover.
            if (!app.ready && !registered.has(app.name)) continue;
            const conversion = hostedRunner(app);
            if (!conversion.ok) {
              logger.warn({ app: app.name, reason: conversion.reason }, 'hosted BYOC app not exposed as a live runner');
              continue;
            }
            try {
              const [view] = await runners.registerStatic([conversion.runner]);
              if (!registered.has(app.name)) logger.info({ app: app.name, runnerId: view?.runnerId, ready: view?.ready }, 'hosted BYOC app exposed as a live runner');
              registered.add(app.name);
            } catch (err) {
              logger.warn({ err, app: app.name }, 'hosted BYOC app refused by the live runner registry');
            }
          }
        };
        const schedule = (apps: readonly HostedByocApp[]) => {
          if (stopped) return;
          queue = queue.then(() => sync(apps)).catch((err: unknown) => logger.warn({ err }, 'bridging hosted BYOC apps failed'));
        };

        let unsubscribe: (() => void) | undefined;
        let watch: NodeJS.Timeout | undefined;
        lifecycle.onStart(async () => {
          unsubscribe = hosted.onChange(schedule);
          schedule(hosted.list());
          // Capacity changes have no event for plugins: a cheap in-memory look every interval.
          watch = setInterval(() => {
            const now = hosted.list().filter(withdrawn).map((app) => app.name).sort().join(',');
            if (now === lastWithdrawn) return;
            lastWithdrawn = now;
            schedule(hosted.list());
          }, WITHDRAWN_CHECK_MS);
          watch.unref();
          await queue;
        });
        lifecycle.onShutdown(async () => {
          stopped = true;
          clearInterval(watch);
          unsubscribe?.();
          await queue;
        });
      },
    });
  },
});

export default byocLiveRunnerPlugin;
