import { createServiceRef } from '../refs/service-ref.js';

/**
 * go-livepeer's Live Runner registry on the orchestrator, provided by the
 * `live-runner` plugin: runners registered statically (operator config, or a
 * hosting plugin such as `byoc-host`) or dynamically (`POST
 * /runners/heartbeat` with the orchestrator secret), served to clients at
 * `GET /discovery` and `/apps/{runner}/...` with the 402 payment challenge.
 * Prices are wei (exact integer strings); go-livepeer's USD registration
 * prices are converted before they reach this interface.
 */
export type LiveRunnerMode = 'persistent' | 'single-shot';
export type LiveRunnerPriceUnit = 'seconds' | '720p-pixel-seconds' | 'fixed';

export interface LiveRunnerPrice {
  /** Wei per unit, a positive integer as a decimal string. */
  readonly price: string;
  readonly unit: LiveRunnerPriceUnit;
}

export interface LiveRunnerGpu {
  readonly id: string;
  readonly name?: string;
  readonly vramMb?: number;
}

export interface StaticLiveRunner {
  /** Identifies the entry across upserts; the public route when `routing` is `label`. */
  readonly label: string;
  readonly routing?: 'runner-id' | 'label';
  /** Private target the orchestrator proxies to (`http://127.0.0.1:port`). */
  readonly runnerUrl: string;
  /** Absolute URL, or a path resolved against runnerUrl. */
  readonly healthUrl: string;
  readonly healthyStatusCode?: number;
  /** `pipeline/model` by convention; for BYOC apps `byoc/<name>`. */
  readonly app: string;
  readonly version?: string;
  /** Public text, ≤ 1 KiB UTF-8. */
  readonly metadata?: string;
  readonly mode: LiveRunnerMode;
  readonly capacity: number;
  readonly proxy?: boolean;
  readonly gpu?: LiveRunnerGpu;
  /** Absent: free (and required on a node with payments: a paid node refuses an unpriced runner). */
  readonly price?: LiveRunnerPrice;
}

export interface LiveRunnerView {
  readonly runnerId: string;
  /** The route in client URLs: the label (`routing: label`) or the runner id. */
  readonly route: string;
  readonly app: string;
  readonly mode: LiveRunnerMode;
  readonly kind: 'static' | 'dynamic';
  readonly ready: boolean;
  readonly capacity: number;
  readonly capacityUsed: number;
  readonly price?: LiveRunnerPrice;
}

export interface LiveRunnerRegistry {
  /** False on nodes without the orchestrator role. */
  readonly enabled: boolean;
  /** Validates and upserts (atomically: one bad entry registers none); resolves after each entry's first health check. */
  registerStatic(runners: readonly StaticLiveRunner[]): Promise<readonly LiveRunnerView[]>;
  /** Removes a static runner by label and releases its sessions. */
  removeStatic(label: string): Promise<void>;
  list(): readonly LiveRunnerView[];
  /** Called when a session is reserved or released (for hosts that scale containers with demand). */
  onSession(listener: (event: { readonly type: 'reserved' | 'released'; readonly runnerId: string; readonly sessionId: string }) => void): () => void;
}

export const liveRunnerRegistryRef = createServiceRef<LiveRunnerRegistry>({ id: 'live-runner.registry' });
