import type { HealthResult } from './runner-client.js';

/** What the watchdog remembers about one managed runner between checks. */
export interface WatchState {
  readonly failures: number;
  /** When the runner first said LOADING in the current stretch. */
  readonly loadingSince?: number;
}

export type WatchAction =
  /** Nothing to do. */
  | 'none'
  /** LOADING and not lent: keep it out of the pool until it is IDLE. */
  | 'withhold'
  /** IDLE (or OK after loading) while withheld or lent: back to the pool. */
  | 'return'
  /** Unhealthy: stop and remove it (a warm one is started again). */
  | 'destroy';

export interface WatchDecision {
  readonly state: WatchState;
  readonly action: WatchAction;
  readonly reason?: string;
}

export interface WatchPolicy {
  /** Consecutive failures that end a runner (go-livepeer: 2). */
  readonly maxFailures: number;
  readonly loadingMaxMs: number;
}

/**
 * go-livepeer's watchContainer rules as a pure step: failures count up on
 * a bad /health and reset on a good one; ERROR ends the runner at once;
 * LOADING longer than the limit counts as a failure each time; IDLE while
 * lent returns it.
 */
export function watchStep(previous: WatchState, health: HealthResult, now: number, lent: boolean, withheld: boolean, policy: WatchPolicy): WatchDecision {
  if (!health.ok) {
    const failures = previous.failures + 1;
    const state = { ...previous, failures };
    return failures >= policy.maxFailures ? { state, action: 'destroy', reason: `${failures} health checks failed (last: ${health.reason})` } : { state, action: 'none', reason: health.reason };
  }
  switch (health.status) {
    case 'ERROR':
      return { state: { failures: policy.maxFailures }, action: 'destroy', reason: 'the runner reports ERROR' };
    case 'LOADING': {
      const loadingSince = previous.loadingSince ?? now;
      let failures = previous.loadingSince === undefined ? 0 : previous.failures;
      if (now - loadingSince > policy.loadingMaxMs) failures++;
      const state = { failures, loadingSince };
      if (failures >= policy.maxFailures) return { state, action: 'destroy', reason: `LOADING for more than ${policy.loadingMaxMs} ms` };
      return { state, action: !lent && !withheld ? 'withhold' : 'none' };
    }
    case 'IDLE':
      return { state: { failures: 0 }, action: lent || withheld ? 'return' : 'none' };
    case 'OK':
      // A withheld runner that finished loading and says OK can serve too.
      return { state: { failures: 0 }, action: withheld ? 'return' : 'none' };
  }
}
