/** `plugins.runtime-docker.config`, after the manifest schema applied its defaults. */
export interface DockerPluginConfig {
  /** An engine to use (`unix:///run/docker.sock`, `tcp://host:2375`); else DOCKER_HOST; else the plugin runs its own dockerd. */
  readonly host?: string;
  /** The dockerd binary for the own engine. */
  readonly dockerdPath: string;
  /** The own engine's state dir (data root, log); default `<plugin data dir>/engine`. */
  readonly stateDir?: string;
  /** The network containers join; created (a bridge) when missing. `bridge`, `host` and `none` are the engine's own. */
  readonly network: string;
  /** Own engine only: let dockerd write iptables rules (outbound NAT). Off: safe next to other engines (ADR 0028). */
  readonly iptables: boolean;
  /** Waiting for the own dockerd's API. */
  readonly startTimeoutMs: number;
  /** Bound on every engine call but image work. */
  readonly callTimeoutMs: number;
  /** Bound on one pull, import or build. */
  readonly buildTimeoutMs: number;
}

export const CONFIG_DEFAULTS = Object.freeze({
  dockerdPath: 'dockerd',
  network: 'lpx',
  iptables: false,
  startTimeoutMs: 60_000,
  callTimeoutMs: 30_000,
  buildTimeoutMs: 600_000,
});

export function resolveConfig(raw: Partial<DockerPluginConfig>): DockerPluginConfig {
  return { ...CONFIG_DEFAULTS, ...raw };
}
