/**
 * When a cached OrchestratorInfo must be fetched again (go-livepeer's
 * shouldRefreshSession plus the pool's own age limit):
 * - it is older than `refreshMs`;
 * - its auth token is within the last 10 % of its validity. go-livepeer
 *   subtracts 10 % of its fixed 30-minute period from the expiry; we take the
 *   validity as observed (expiry − arrival), which is the same for go-livepeer
 *   and lpx tokens and still right for an orchestrator issuing shorter ones;
 * - its auth token has expired.
 * "TicketParams expired" is only known when a payment is built, so the caller
 * asks for that refresh explicitly (`OrchestratorPool.refresh`).
 */
import type { CachedInfo } from './pool-options.js';

export const AUTH_TOKEN_REFRESH_FRACTION = 0.1;

export type RefreshReason = 'age' | 'auth-token';

/** Unix seconds → ms, for comparisons with `now()`. */
export function tokenExpiryMs(cached: CachedInfo): number | undefined {
  const expiration = cached.info.authToken?.expiration;
  return expiration === undefined ? undefined : Number(expiration) * 1000;
}

export function refreshReason(cached: CachedInfo, now: number, refreshMs: number): RefreshReason | undefined {
  const expiry = tokenExpiryMs(cached);
  if (expiry !== undefined) {
    const validity = Math.max(0, expiry - cached.fetchedAt);
    if (now >= expiry - validity * AUTH_TOKEN_REFRESH_FRACTION) return 'auth-token';
  }
  return now - cached.fetchedAt >= refreshMs ? 'age' : undefined;
}

/** When `refreshReason` first answers for this reply (the earlier of its age limit and its token's refresh point). */
export function dueAt(cached: CachedInfo, refreshMs: number): number {
  const expiry = tokenExpiryMs(cached);
  const byAge = cached.fetchedAt + refreshMs;
  if (expiry === undefined) return byAge;
  return Math.min(byAge, expiry - Math.max(0, expiry - cached.fetchedAt) * AUTH_TOKEN_REFRESH_FRACTION);
}

/** An expired token is refused by the orchestrator, so such info cannot be used until refreshed. */
export function tokenExpired(cached: CachedInfo, now: number): boolean {
  const expiry = tokenExpiryMs(cached);
  return expiry !== undefined && now >= expiry;
}
