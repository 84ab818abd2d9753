import type { ByocPrice } from '@lpx/sdk';

/** The operator's word on one app (`plugins.byoc-host.config.apps.<name>`). */
export interface AppOverride {
  readonly price?: ByocPrice;
  readonly capacity?: number;
  readonly instances?: number;
  readonly gpus?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly memoryBytes?: number;
}

export interface ByocHostConfig {
  readonly apps: Readonly<Record<string, AppOverride>>;
  readonly external: { readonly enabled: boolean; readonly maxCapabilities: number };
  readonly startTimeoutMs: number;
  readonly pollMs: number;
  readonly healthMs: number;
  readonly watchIntervalMs: number;
  readonly watchFailures: number;
  readonly stopMs: number;
}

export const CONFIG_DEFAULTS: ByocHostConfig = {
  apps: {},
  external: { enabled: true, maxCapabilities: 64 },
  startTimeoutMs: 120_000,
  pollMs: 250,
  healthMs: 5_000,
  watchIntervalMs: 5_000,
  watchFailures: 3,
  stopMs: 5_000,
};

/** The kernel validated the slice against the manifest schema; this fills what a test passing a partial slice left out. */
export function resolveConfig(raw: Partial<ByocHostConfig> = {}): ByocHostConfig {
  return { ...CONFIG_DEFAULTS, ...raw, external: { ...CONFIG_DEFAULTS.external, ...raw.external } };
}
