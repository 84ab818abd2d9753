import { join } from 'node:path';
import type Dockerode from 'dockerode';
import {
  errors,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerRuntimeContext,
  type ContainerRuntimeStatus,
  type ContainerSpec,
  type ImageInfo,
  type ImageSpec,
  type LoggerService,
} from '@lpx/sdk';
import { bounded } from './bounded.js';
import type { DockerPluginConfig } from './config.js';
import { DockerContainers } from './containers.js';
import type { CreateContext } from './create-options.js';
import { dockerClient } from './engine/connect.js';
import { startOwnDockerd, type OwnDockerd } from './engine/dockerd-process.js';
import { DockerImages } from './images.js';

export interface DockerRuntimeOptions {
  readonly config: DockerPluginConfig;
  /** The plugin's data dir: the own engine lives under it unless config.stateDir says otherwise. */
  readonly dataDir: string;
  /** The environment's DOCKER_HOST, when set (used when config.host is not). */
  readonly envHost?: string;
  readonly logger?: LoggerService;
}

/** dockerode's version() takes options with a signal; its typings do not say so. */
interface VersionWithSignal {
  version(options: { abortSignal: AbortSignal }): Promise<Dockerode.DockerVersion>;
}

/** Networks every engine has; never created. */
const BUILT_IN_NETWORKS: ReadonlySet<string> = new Set(['bridge', 'host', 'none', 'default']);

interface Connected {
  readonly docker: Dockerode;
  readonly images: DockerImages;
  readonly containers: DockerContainers;
}

/**
 * The `docker` container runtime: the engine at `host`/DOCKER_HOST, or a
 * dockerd of its own under the plugin's data dir (started by the first
 * probe, restarted by a later probe if it died, stopped on close).
 */
export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker';
  readonly #options: DockerRuntimeOptions;
  #connected: Connected | undefined;
  #engine: OwnDockerd | undefined;
  #probing: Promise<ContainerRuntimeStatus> | undefined;
  #lastReason = 'not probed yet';
  #closed = false;

  constructor(options: DockerRuntimeOptions) {
    this.#options = options;
  }

  /** Where the engine is: the configured host, DOCKER_HOST, or the own engine's socket once started. */
  get endpoint(): string | undefined {
    const { config, envHost } = this.#options;
    return config.host ?? envHost ?? (this.#engine ? `unix://${this.#engine.socketPath}` : undefined);
  }

  /** The dockerd this runtime started (undefined with an external engine). */
  get ownEngine(): OwnDockerd | undefined {
    return this.#engine;
  }

  probe(signal: AbortSignal): Promise<ContainerRuntimeStatus> {
    this.#probing ??= this.#probe(signal).finally(() => {
      this.#probing = undefined;
    });
    return this.#probing;
  }

  async #probe(signal: AbortSignal): Promise<ContainerRuntimeStatus> {
    const { config } = this.#options;
    try {
      if (this.#closed) throw errors.containers.UNAVAILABLE.create('the docker runtime is closed');
      if (this.#engine !== undefined && !this.#engine.alive()) {
        this.#options.logger?.warn({ pid: this.#engine.pid }, 'own dockerd exited; starting it again');
        this.#engine = undefined;
        this.#connected = undefined;
      }
      const connected = this.#connected ?? (await this.#connect(signal));
      const version = await bounded('engine version', config.callTimeoutMs, (s) => (connected.docker as unknown as VersionWithSignal).version({ abortSignal: s }), { signal });
      await this.#ensureNetwork(connected.docker, signal);
      this.#connected = connected;
      return { available: true, version: version.Version, ...(this.endpoint ? { endpoint: this.endpoint } : {}) };
    } catch (error) {
      this.#lastReason = error instanceof Error ? error.message : String(error);
      return { available: false, reason: this.#lastReason, ...(this.endpoint ? { endpoint: this.endpoint } : {}) };
    }
  }

  async #connect(signal: AbortSignal): Promise<Connected> {
    const { config, envHost, dataDir, logger } = this.#options;
    let docker: Dockerode;
    if (config.host !== undefined || envHost !== undefined) {
      docker = dockerClient((config.host ?? envHost)!, config.host === undefined);
    } else {
      this.#engine ??= await startOwnDockerd({
        stateDir: config.stateDir ?? join(dataDir, 'engine'),
        binary: config.dockerdPath,
        iptables: config.iptables,
        startTimeoutMs: config.startTimeoutMs,
        signal,
        ...(logger ? { logger } : {}),
      });
      docker = dockerClient(`unix://${this.#engine.socketPath}`, false);
    }
    const network = BUILT_IN_NETWORKS.has(config.network) ? (config.network === 'default' ? undefined : config.network) : config.network;
    return {
      docker,
      images: new DockerImages(docker, { callMs: config.callTimeoutMs, buildMs: config.buildTimeoutMs }),
      containers: new DockerContainers(docker, config.callTimeoutMs, () => network),
    };
  }

  /** The runtime's bridge network: the own engine has no default bridge (ADR 0028), and on a shared engine it keeps lpx containers together. */
  async #ensureNetwork(docker: Dockerode, signal: AbortSignal): Promise<void> {
    const name = this.#options.config.network;
    if (BUILT_IN_NETWORKS.has(name)) return;
    const timeout = this.#options.config.callTimeoutMs;
    const existing = await bounded('list networks', timeout, (s) => docker.listNetworks({ filters: { name: [name] }, abortSignal: s }), { signal });
    if (existing.some((n) => n.Name === name)) return;
    await bounded('create network', timeout, (s) => docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, abortSignal: s } as object as Dockerode.NetworkCreateOptions), {
      signal,
      // Another node on the same engine created it first.
      map: (http) => (http.statusCode === 409 ? errors.containers.NAME_IN_USE.create(http.message) : undefined),
    }).catch((error: unknown) => {
      if (!errors.containers.NAME_IN_USE.is(error)) throw error;
    });
    this.#options.logger?.info({ network: name }, 'created the container network');
  }

  #ready(): Connected {
    if (this.#connected === undefined) throw errors.containers.UNAVAILABLE.create(`the docker engine is not available: ${this.#lastReason}`);
    return this.#connected;
  }

  ensureImage(spec: ImageSpec, options?: { readonly signal?: AbortSignal; readonly onProgress?: (line: string) => void }): Promise<ImageInfo> {
    return this.#call(() => this.#ready().images.ensure(spec, options));
  }

  inspectImage(ref: string): Promise<ImageInfo | undefined> {
    return this.#call(() => this.#ready().images.inspect(ref));
  }

  removeImage(ref: string): Promise<void> {
    return this.#call(() => this.#ready().images.remove(ref));
  }

  create(spec: ContainerSpec, context: CreateContext): Promise<ContainerInfo> {
    return this.#call(() => this.#ready().containers.create(spec, context));
  }

  start(id: string): Promise<ContainerInfo> {
    return this.#call(() => this.#ready().containers.start(id));
  }

  stop(id: string, options?: { readonly timeoutMs?: number }): Promise<void> {
    return this.#call(() => this.#ready().containers.stop(id, options));
  }

  remove(id: string, options?: { readonly force?: boolean }): Promise<void> {
    return this.#call(() => this.#ready().containers.remove(id, options));
  }

  inspect(id: string): Promise<ContainerInfo | undefined> {
    return this.#call(() => this.#ready().containers.inspect(id));
  }

  logs(id: string, options?: { readonly tail?: number }): Promise<string> {
    return this.#call(() => this.#ready().containers.logs(id, options));
  }

  list(context: ContainerRuntimeContext, labels?: Readonly<Record<string, string>>): Promise<ContainerInfo[]> {
    return this.#call(() => this.#ready().containers.list(context, labels));
  }

  /** Stops the own engine (its containers stop with it); an external engine is only disconnected. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#probing?.catch(() => undefined);
    this.#connected = undefined;
    const engine = this.#engine;
    this.#engine = undefined;
    await engine?.stop();
  }

  /** Async so a synchronous throw (#ready) becomes a rejection. */
  async #call<T>(run: () => Promise<T>): Promise<T> {
    return run();
  }
}
