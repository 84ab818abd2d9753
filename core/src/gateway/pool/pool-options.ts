/** The pool's inputs and outputs: what it is built from, what it hands to selection. */
import type { OrchestratorCandidate, RationalPrice } from '@lpx/sdk';
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import type { GatewayCredentials, OrchestratorInfo } from '../../network/index.js';
import type { MaxPrices } from './price-limits.js';

export interface FetchInfoOptions {
  /** The job's needs; omitted, the orchestrator answers with its full price list. */
  readonly capabilities?: LivepeerCapabilities;
  /** The whole call, connection included. */
  readonly timeoutMs: number;
  /** Aborted when the pool closes. */
  readonly signal: AbortSignal;
}

/** One GetOrchestrator round trip; rejects on any failure, a reply that does not decode included. */
export type FetchInfo = (uri: string, options: FetchInfoOptions) => Promise<OrchestratorInfo>;

export interface OrchestratorPoolDeps {
  /** Kernel discovery: every strategy's candidates, de-duplicated by uri. */
  readonly candidates: () => Promise<OrchestratorCandidate[]>;
  /** Defaults to a gRPC GetOrchestrator signed with `credentials`. */
  readonly fetchInfo?: FetchInfo;
  /** Computed once at start (go-livepeer signs its address once), needed when `fetchInfo` is not given. */
  readonly credentials?: GatewayCredentials;
}

export interface OrchestratorPoolOptions extends MaxPrices {
  /** First collect-loop tick (go-livepeer -discoveryTimeout, 500 ms). */
  readonly discoveryTimeoutMs?: number;
  /** Absolute cutoff of one fan-out and cap of the doubled tick (go-livepeer: 6 s). */
  readonly maxDiscoveryTimeoutMs?: number;
  /** GetOrchestrator calls running at once in a round (the rest wait their turn; default 128). */
  readonly discoveryConcurrency?: number;
  /** Budget of one GetOrchestrator; a call still running when the loop ends may fill the cache until then. Default maxDiscoveryTimeoutMs. */
  readonly fetchTimeoutMs?: number;
  /** Info older than this is refreshed (kernel `gateway.poolRefreshMs`, 60 s). */
  readonly refreshMs?: number;
  /** Sent with every fan-out GetOrchestrator; omitted: full info (all prices). */
  readonly capabilities?: LivepeerCapabilities;
  /** Refreshes a failed orchestrator sits out (default 3, go-livepeer's AI pool). */
  readonly suspensionPenalty?: number;
  /** Told about every suspension (metrics); it only observes. */
  readonly onSuspend?: (uri: string, reason: string) => void;
  /** Stake (decimal wei) for the probability algorithm, e.g. from the bonding manager. */
  readonly stakeOf?: (address: string, uri: string) => string | undefined;
  /** Wall clock in ms since the epoch: info age and auth token expiry. */
  readonly now?: () => number;
}

export const POOL_DEFAULTS = Object.freeze({
  discoveryTimeoutMs: 500,
  maxDiscoveryTimeoutMs: 6_000,
  refreshMs: 60_000,
  discoveryConcurrency: 128,
});

/** One orchestrator's last good GetOrchestrator reply. */
export interface CachedInfo {
  readonly uri: string;
  readonly info: OrchestratorInfo;
  /** `now()` when the reply arrived. */
  readonly fetchedAt: number;
  /** GetOrchestrator round trip, connection included (what go-livepeer sorts discovery by). */
  readonly latencyMs: number;
  readonly candidate?: OrchestratorCandidate;
}

/** A cached orchestrator seen for one (capability, model): what selection needs. */
export interface PoolEntry {
  readonly uri: string;
  readonly info: OrchestratorInfo;
  /** Its price for the capability asked; undefined when it sent none (offchain). */
  readonly price?: RationalPrice;
  /** 0x-prefixed lowercase hex. */
  readonly address: string;
  readonly latencyMs: number;
  readonly fetchedAt: number;
  readonly stake?: string;
  /** 0 unless suspended (then the suspender's value; lower sits out less). */
  readonly penalty: number;
}

export interface DiscoveryRound {
  /** Replied and accepted before the loop ended, fastest first. */
  readonly answered: readonly string[];
  /** Failed (unreachable, refused, undecodable, empty transcoder) before the loop ended; now suspended. */
  readonly failed: readonly string[];
  /** Still running when the loop ended; their replies still fill the cache. */
  readonly pending: readonly string[];
  /** The loop ended on a timer rather than on enough or all replies. */
  readonly timedOut: boolean;
}
