import { containerRuntimesExtensionPoint, coreServices, definePlugin, type LoggerService, type PluginManifest } from '@lpx/sdk';
import manifestJson from '../plugin.manifest.json' with { type: 'json' };
import { resolveConfig, type DockerPluginConfig } from './config.js';
import { DockerRuntime } from './docker-runtime.js';

export { CONFIG_DEFAULTS, resolveConfig, type DockerPluginConfig } from './config.js';
export { DockerRuntime, type DockerRuntimeOptions } from './docker-runtime.js';
export { createOptions, validateSpec } from './create-options.js';
export { demultiplexLogs, toContainerInfo } from './container-info.js';
export { dockerdArgs, dockerdLayout, type DockerdLayout } from './engine/dockerd-layout.js';
export { startOwnDockerd, type OwnDockerd } from './engine/dockerd-process.js';

const manifest = manifestJson as PluginManifest;

/** Makes the runtime from a config slice: what the plugin does at init, and what tests call directly. */
export function createDockerRuntime(raw: Partial<DockerPluginConfig> & { readonly dataDir: string }, logger?: LoggerService, envHost: string | undefined = process.env['DOCKER_HOST']): DockerRuntime {
  const { dataDir, ...rest } = raw;
  return new DockerRuntime({ config: resolveConfig(rest), dataDir, ...(envHost ? { envHost } : {}), ...(logger ? { logger } : {}) });
}

/** Adds the `docker` container runtime. */
export const runtimeDockerPlugin = definePlugin({
  manifest,
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.config, logger: coreServices.logger, runtimes: containerRuntimesExtensionPoint },
      // The kernel probes the runtime on start (which starts the own dockerd) and closes it after plugins stopped.
      init({ config, logger, runtimes }) {
        runtimes.addRuntime(createDockerRuntime({ ...config.get<Partial<DockerPluginConfig>>(), dataDir: config.dataDir }, logger));
      },
    });
  },
});

export default runtimeDockerPlugin;
