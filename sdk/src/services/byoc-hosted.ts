import { createServiceRef } from '../refs/service-ref.js';
import type { ByocAppSpec, ByocPrice } from '../byoc/app-spec.js';

/**
 * The BYOC apps a node hosts, as the hosting plugin (`byoc-host`) provides
 * them to other plugins: the bridge that exposes them as Live Runner apps
 * (`byoc-live-runner`), dashboards, tests. URLs are private (127.0.0.1 or
 * the container network): they are proxied, never advertised.
 */
export interface HostedByocApp {
  readonly name: string;
  /** `byoc/<name>`. */
  readonly capabilityId: string;
  /** The partner plugin that contributed it, or `external` for a worker registered over `/capability/register`. */
  readonly pluginId: string;
  readonly version: string;
  readonly spec: ByocAppSpec;
  /** The price in force (operator override, else the manifest's). */
  readonly price: ByocPrice;
  readonly capacity: number;
  /** Base URL of the app (container's published port, or the external URL). */
  readonly url: string;
  /** A healthy instance's base URL when the app runs several (round robin); absent or undefined: `url`. A stream keeps the one it started on. */
  readonly pick?: () => string | undefined;
  /** Sent as `Authorization: Bearer <token>` on every call to the app (go-livepeer external capability `token`). */
  readonly token?: string;
  /** Absolute health URL. */
  readonly healthUrl: string;
  readonly healthyStatus: number;
  readonly ready: boolean;
  /** GPU ids assigned to it. */
  readonly gpus: readonly string[];
}

export interface ByocHostedService {
  list(): readonly HostedByocApp[];
  get(name: string): HostedByocApp | undefined;
  /** Called whenever an app is added, becomes ready or unready, or is removed. */
  onChange(listener: (apps: readonly HostedByocApp[]) => void): () => void;
}

export const byocHostedServiceRef = createServiceRef<ByocHostedService>({ id: 'byoc.hosted' });
