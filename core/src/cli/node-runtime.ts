/**
 * The container runtime of a node, for CLI tooling that builds or runs
 * images (`lpx images base`, `lpx plugin test`). With `--config` it is the
 * node's own runtime exactly as `lpx start` loads it (that node's dockerd,
 * network, owner id). Without, a throwaway node (temp data dir, no roles, no
 * HTTP) with only runtime-docker, pointed at the engine the docker CLI uses
 * (`--docker-host`, else DOCKER_HOST, else /var/run/docker.sock) so images
 * land where the partner's own `docker build` puts them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerRuntime } from '@lpx/sdk';
import { Host } from '../boot/host.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';

export interface NodeRuntimeOptions {
  /** A node config file: use that node's runtime. */
  readonly config?: string;
  readonly sets?: readonly string[];
  /** Without a config: the engine to use (`unix:///…/docker.sock`, `tcp://…`). */
  readonly dockerHost?: string;
  /** Without a config: runtime-docker's whole config slice (e.g. the dev network's stateDir); wins over dockerHost. */
  readonly runtimeConfig?: Record<string, unknown>;
}

export interface NodeRuntime {
  readonly runtime: ContainerRuntime;
  /** The node's owner id: containers created with it are the node's (`lpx containers list`). */
  readonly ownerId: string;
  /** DOCKER_HOST for the docker CLI to reach the same engine, when the runtime is docker. */
  readonly dockerHost?: string;
}

/** The engine the docker CLI would talk to. */
export function defaultDockerHost(env: NodeJS.ProcessEnv = process.env): string {
  return env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
}

/** Boots the node's plugins (no roles, no HTTP), waits for the runtime and runs `body`; always stops the node. */
export async function withNodeRuntime<T>(options: NodeRuntimeOptions, body: (node: NodeRuntime) => Promise<T>): Promise<T> {
  let scratch: string | undefined;
  let host: Host | undefined;
  try {
    let loaded: LoadedConfig;
    if (options.config !== undefined) {
      loaded = loadConfig({ file: options.config, sets: options.sets ?? [] });
    } else {
      scratch = await mkdtemp(join(tmpdir(), 'lpx-tool-node-'));
      const raw = { node: { dataDir: scratch }, plugins: { 'runtime-docker': { config: options.runtimeConfig ?? { host: options.dockerHost ?? defaultDockerHost() } } } };
      loaded = loadConfig({ raw, sets: options.sets ?? [] });
    }
    const config = { ...loaded.config, node: { ...loaded.config.node, roles: [] }, http: { ...loaded.config.http, enabled: false }, log: { ...loaded.config.log, level: 'error' } };
    host = new Host({ config: { ...loaded, config } });
    await host.start();
    const runtime = await host.containers.ready();
    const { endpoint } = await host.containers.status();
    return await body({ runtime, ownerId: host.containers.ownerId, ...(runtime.name === 'docker' && endpoint !== undefined ? { dockerHost: endpoint } : {}) });
  } finally {
    await host?.stop();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}
