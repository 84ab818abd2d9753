import {
  byocAppsExtensionPoint,
  byocHostedServiceRef,
  coreServices,
  definePlugin,
  errors,
  type ByocAppContribution,
  type ByocAppsExtensionPoint,
  type PluginManifest,
} from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { ByocHost } from './byoc-host.js';
import { resolveConfig, type ByocHostConfig } from './config.js';

export { capabilityDeclaration, instanceHash, planApp, LABELS, type AppPlan } from './app-plan.js';
export { ByocHost, type ByocHostOptions } from './byoc-host.js';
export { CONFIG_DEFAULTS, resolveConfig, type AppOverride, type ByocHostConfig } from './config.js';
export { externalEntry, parseExternalCapability } from './external-workers.js';
export { inputCheck } from './input-check.js';

const manifest = manifestJson as PluginManifest;

/** `byoc.apps`: partner plugins add their app during their init, which runs before ours. */
class ContributedApps implements ByocAppsExtensionPoint {
  readonly apps = new Map<string, ByocAppContribution>();

  addApp(app: ByocAppContribution): void {
    const { name } = app.spec;
    const existing = this.apps.get(name);
    if (existing !== undefined) {
      throw errors.byoc.APP_INVALID.create(`BYOC app ${name} is contributed by both ${existing.pluginId} and ${app.pluginId}`, { details: { app: name, plugins: [existing.pluginId, app.pluginId] } });
    }
    this.apps.set(name, app);
  }
}

/** Hosts BYOC partner apps and go-livepeer external workers (docs/adr/0041-byoc-hosting.md). */
export const byocHostPlugin = definePlugin({
  manifest,
  register(reg) {
    const contributed = new ContributedApps();
    let host: ByocHost | undefined;
    reg.registerExtensionPoint(byocAppsExtensionPoint, contributed);
    reg.registerInit({
      deps: {
        config: coreServices.config,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        containers: coreServices.containers,
        capabilities: coreServices.capabilities,
        jobs: coreServices.jobs,
        wire: coreServices.orchestratorWire,
      },
      init({ config, logger, lifecycle, containers, capabilities, jobs, wire }) {
        const running = new ByocHost({
          config: resolveConfig(config.get<Partial<ByocHostConfig>>()),
          contributions: [...contributed.apps.values()],
          containers,
          capabilities,
          jobs,
          wire,
          logger,
          dataDir: config.dataDir,
        });
        host = running;
        lifecycle.onStart(() => running.start());
        lifecycle.onShutdown(() => running.stop());
      },
    });
    reg.registerService(byocHostedServiceRef, { deps: {}, factory: () => host!.hosted });
  },
});

export default byocHostPlugin;
