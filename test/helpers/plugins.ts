import { coreServices, definePlugin, HOST_API_VERSION, type PluginDefinition, type PluginManifest, type PluginRegistrar } from '@lpx/sdk';

/** A manifest with sensible defaults for tests; override what the test is about. */
export function testManifest(id: string, extra: Partial<PluginManifest> = {}): PluginManifest {
  return { id, version: '1.0.0', host: `^${HOST_API_VERSION}`, ...extra };
}

/** A plugin whose init runs `body` with the logger and lifecycle services. */
export function trivialPlugin(
  id: string,
  body: (deps: { lifecycle: import('@lpx/sdk').LifecycleService }) => void | Promise<void> = () => {},
  extra: Partial<PluginManifest> = {},
): PluginDefinition {
  return definePlugin({
    manifest: testManifest(id, { requires: { services: ['core.lifecycle'], ...extra.requires }, ...withoutRequires(extra) }),
    register(reg: PluginRegistrar) {
      reg.registerInit({ deps: { lifecycle: coreServices.lifecycle }, init: (deps) => body(deps) });
    },
  });
}

function withoutRequires(extra: Partial<PluginManifest>): Partial<PluginManifest> {
  const { requires: _requires, ...rest } = extra;
  return rest;
}
