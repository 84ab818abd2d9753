export { Host, type HostOptions, type HostState } from './boot/host.js';
export { loadConfig, validatePluginConfig, type LoadedConfig, type LoadConfigOptions } from './config/load-config.js';
export { KernelConfigSchema, type KernelConfig } from './config/kernel-schema.js';
export { preparePlugins } from './boot/prepare-plugins.js';
export { startTestHost } from './testing/test-host.js';
export { main as runCli } from './cli/main.js';
export { installProblemJson } from './http/problem-json.js';
