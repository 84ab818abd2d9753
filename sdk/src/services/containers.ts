import type { ContainerInfo, ContainerRuntimeStatus, ContainerSpec, ImageInfo, ImageSpec } from '../extension-points/container-runtimes.js';

/**
 * The node's container runtime as one plugin sees it (`coreServices.containers`,
 * plugin-scoped). The kernel stamps the owner and plugin labels on every
 * container, and `list` returns only this plugin's containers on this node,
 * so a restarted node finds what it started and can adopt or remove it.
 * Calls made before the runtime is ready wait for it; with no runtime
 * (none added, or its probe failed) they reject with
 * LPX_ERR_CONTAINERS_UNAVAILABLE naming the reason.
 */
export interface ContainersService {
  /** The chosen runtime's status (probed once at start, re-probed while unavailable). */
  status(): Promise<ContainerRuntimeStatus & { readonly runtime?: string }>;
  ensureImage(spec: ImageSpec, options?: { readonly signal?: AbortSignal; readonly onProgress?: (line: string) => void }): Promise<ImageInfo>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  create(spec: ContainerSpec): Promise<ContainerInfo>;
  start(id: string): Promise<ContainerInfo>;
  stop(id: string, options?: { readonly timeoutMs?: number }): Promise<void>;
  remove(id: string, options?: { readonly force?: boolean }): Promise<void>;
  inspect(id: string): Promise<ContainerInfo | undefined>;
  logs(id: string, options?: { readonly tail?: number }): Promise<string>;
  /** This plugin's containers on this node (any state), optionally filtered by labels. */
  list(labels?: Readonly<Record<string, string>>): Promise<ContainerInfo[]>;
}
