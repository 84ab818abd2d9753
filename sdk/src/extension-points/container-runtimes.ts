import { createExtensionPoint } from '../refs/extension-point.js';

/**
 * Container runtimes (Docker through dockerode, ...). The kernel owns the
 * extension point, picks the runtime a node uses (`containers.runtime` in the
 * node config, else the only one added) and hands it to plugins as
 * `coreServices.containers`, stamping ownership labels on everything they
 * create. Runtimes never throw bare strings: failures are
 * `errors.containers.*`.
 */

/** Label every container and image a node creates carries: the node's owner id (see ContainerRuntimeContext). */
export const CONTAINER_OWNER_LABEL = 'io.lpx.owner';
/** Label naming the plugin that asked for the container. */
export const CONTAINER_PLUGIN_LABEL = 'io.lpx.plugin';
/** Label with a hash of the spec a container was created from: a restarted node adopts a container only when it matches. */
export const CONTAINER_SPEC_LABEL = 'io.lpx.spec';

export interface ContainerRuntimeStatus {
  readonly available: boolean;
  /** Why not, in words an operator can act on ("dockerd not found: install docker.io", "DOCKER_HOST unreachable: ..."). */
  readonly reason?: string;
  /** Engine version (Docker's `Version`) when available. */
  readonly version?: string;
  /** Where the engine is (unix socket path, tcp URL). */
  readonly endpoint?: string;
}

/** Where an image comes from when it is not present locally. */
export type ImageSource =
  /** Must already be present; nothing is fetched or built. */
  | { readonly kind: 'present' }
  /** From a registry (none is reachable on isolated machines: the refusal says so). */
  | { readonly kind: 'pull' }
  /** A root filesystem tarball (`docker import`), with Dockerfile-style changes such as `CMD ["/runner"]`. */
  | { readonly kind: 'import'; readonly tarPath: string; readonly changes?: readonly string[] }
  /** A local build context (a classic build, `FROM` an image that is already present). */
  | { readonly kind: 'build'; readonly contextDir: string; readonly dockerfile?: string; readonly buildArgs?: Readonly<Record<string, string>> }
  /** A `docker save` archive (`docker load`); the loaded image must be the one `ref` names. */
  | { readonly kind: 'load'; readonly tarPath: string };

export interface ImageSpec {
  /** `name:tag`. */
  readonly ref: string;
  readonly source: ImageSource;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ImageInfo {
  readonly ref: string;
  /** Content id (`sha256:...`). */
  readonly id: string;
  readonly sizeBytes: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PortBinding {
  readonly containerPort: number;
  /** Default 127.0.0.1: runners are never published beyond the host. */
  readonly hostIp?: string;
  /** Omitted or 0: the runtime picks a free port (read it back from ContainerInfo.ports). */
  readonly hostPort?: number;
}

export interface BindMount {
  readonly hostPath: string;
  readonly containerPath: string;
  readonly readOnly?: boolean;
}

export interface ContainerHealthCheck {
  /** Docker HEALTHCHECK test, e.g. ['CMD', 'wget', '-qO-', 'http://127.0.0.1:8000/health']. */
  readonly test: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly startPeriodMs?: number;
}

export interface ContainerSpec {
  /** Unique on the engine; the runtime refuses a name in use (errors.containers.NAME_IN_USE). */
  readonly name: string;
  readonly image: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
  readonly ports?: readonly PortBinding[];
  /** GPU device ids (`0`, `1`, `GPU-uuid`); empty or absent = none. */
  readonly gpus?: readonly string[];
  /** Hard memory limit. */
  readonly memoryBytes?: number;
  /** CPU limit in cores (fractions allowed). */
  readonly cpus?: number;
  readonly binds?: readonly BindMount[];
  /** Extra labels; the ownership labels are added by the kernel and cannot be overridden. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly restart?: { readonly policy: 'no' | 'on-failure' | 'always' | 'unless-stopped'; readonly maxRetries?: number };
  readonly health?: ContainerHealthCheck;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly state: ContainerState;
  readonly exitCode?: number;
  /** From the container's health check; 'none' when it has none. */
  readonly health: 'starting' | 'healthy' | 'unhealthy' | 'none';
  /** Published ports as bound (host port filled in when the runtime picked it). */
  readonly ports: readonly { readonly containerPort: number; readonly hostIp: string; readonly hostPort: number }[];
  readonly labels: Readonly<Record<string, string>>;
  /** ms since the epoch. */
  readonly createdAt: number;
}

export interface ContainerRuntimeContext {
  /**
   * Who owns what this node creates: containers and images carry it as
   * CONTAINER_OWNER_LABEL, and `list` returns only the owner's. Stable across
   * restarts of the same node (derived from its data dir), distinct between
   * nodes sharing one engine.
   */
  readonly ownerId: string;
}

/**
 * One container engine. Every call is bounded (a hung engine is a coded
 * error, not a hang) and honours the signal where it takes one.
 */
export interface ContainerRuntime {
  /** Stable, unique on a node: `docker`. */
  readonly name: string;
  /** Connects (starting an engine the runtime manages, if configured to); never throws. */
  probe(signal: AbortSignal): Promise<ContainerRuntimeStatus>;
  /** Makes the image present: no-op when it is, else per `source`. Progress lines go to onProgress. */
  ensureImage(spec: ImageSpec, options?: { readonly signal?: AbortSignal; readonly onProgress?: (line: string) => void }): Promise<ImageInfo>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  removeImage(ref: string): Promise<void>;
  /** Creates (not starts) a container labelled with the context's owner. */
  create(spec: ContainerSpec, context: ContainerRuntimeContext & { readonly pluginId: string; readonly specHash: string }): Promise<ContainerInfo>;
  start(id: string): Promise<ContainerInfo>;
  /** SIGTERM, then SIGKILL after timeoutMs. Stopping a stopped container is not an error. */
  stop(id: string, options?: { readonly timeoutMs?: number }): Promise<void>;
  /** Removing a missing container is not an error. `force` stops it first. */
  remove(id: string, options?: { readonly force?: boolean }): Promise<void>;
  inspect(id: string): Promise<ContainerInfo | undefined>;
  /** stdout and stderr, demultiplexed, oldest first. */
  logs(id: string, options?: { readonly tail?: number }): Promise<string>;
  /** Containers (any state) carrying the owner label and, if given, every one of `labels`. */
  list(context: ContainerRuntimeContext, labels?: Readonly<Record<string, string>>): Promise<ContainerInfo[]>;
  /** Node shutdown, after plugins stopped their containers: disconnect; stop an engine the runtime started. */
  close(): Promise<void>;
}

export interface ContainerRuntimesExtensionPoint {
  addRuntime(runtime: ContainerRuntime): void;
}

/** The value of CONTAINER_SPEC_LABEL for a spec: compare it with a found container's label to adopt or replace it. */
export { containerSpecHash } from '../containers/spec-hash.js';

/** Owned by the kernel, like transcode backends. */
export const containerRuntimesExtensionPoint = createExtensionPoint<ContainerRuntimesExtensionPoint>({ id: 'containers.runtimes' });
