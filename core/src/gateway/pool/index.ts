// The gateway's orchestrator pool: discovery fan-out, info cache, suspensions, price limits, selection hand-off.
export { OrchestratorPool, type PickOptions } from './orchestrator-pool.js';
export {
  POOL_DEFAULTS,
  type CachedInfo,
  type DiscoveryRound,
  type FetchInfo,
  type FetchInfoOptions,
  type OrchestratorPoolDeps,
  type OrchestratorPoolOptions,
  type PoolEntry,
} from './pool-options.js';
export { collect, type Collected, type CollectTimeouts, type CollectTimers } from './fan-out.js';
export { grpcFetchInfo } from './grpc-fetch-info.js';
export { DEFAULT_SUSPENSION_PENALTY, Suspender, type Suspension } from './suspender.js';
export { checkPriceIncrease, maxPriceFor, PRICE_INCREASE_FACTOR, sessionPrice, withinMaxPrice, type MaxPrices } from './price-limits.js';
export { offers, priceAbove, priceFor, viewOf, type InfoView } from './capability-price.js';
export { AUTH_TOKEN_REFRESH_FRACTION, refreshReason, tokenExpired, tokenExpiryMs, type RefreshReason } from './refresh-policy.js';
export { firstChoice, toSelectionCandidates, type RankOptions } from './selection-candidates.js';
export { gatewayErrors } from './pool-errors.js';
export { CallLimiter } from './call-limiter.js';
export type { Preference } from './pool-classification.js';
