/**
 * go-livepeer's GetOrchestrators collect loop (discovery.go), on promises.
 * Every call is already running; this only decides when to stop waiting:
 * - all calls settled, or `wanted` successes: stop;
 * - a tick timer starts at `discoveryTimeoutMs`. When it fires with at least
 *   one success, stop; with none, re-arm it with the current timeout and then
 *   double that (capped), so the ticks land at about 0.5, 1, 2, 4 s;
 * - an absolute cutoff of `maxDiscoveryTimeoutMs` always stops.
 * Calls still running when it stops are reported as pending, not cancelled.
 */

export interface CollectTimeouts {
  readonly discoveryTimeoutMs: number;
  readonly maxDiscoveryTimeoutMs: number;
}

/** The two timer calls the loop makes; tests pass a manual scheduler to check the tick schedule exactly. */
export interface CollectTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: CollectTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface Collected {
  /** In arrival order. */
  readonly answered: string[];
  readonly failed: string[];
  readonly pending: string[];
  readonly timedOut: boolean;
}

/** `calls` resolve true for an accepted reply, false for a failure; they never reject. */
export function collect(
  calls: ReadonlyMap<string, Promise<boolean>>,
  wanted: number,
  timeouts: CollectTimeouts,
  timers: CollectTimers = REAL_TIMERS,
): Promise<Collected> {
  const answered: string[] = [];
  const failed: string[] = [];
  const settled = new Set<string>();
  return new Promise((resolve) => {
    let done = false;
    let tick: unknown;
    let cutoff: unknown;
    const finish = (timedOut: boolean): void => {
      if (done) return;
      done = true;
      timers.clearTimeout(tick);
      timers.clearTimeout(cutoff);
      resolve({ answered: [...answered], failed: [...failed], pending: [...calls.keys()].filter((uri) => !settled.has(uri)), timedOut });
    };
    const check = (): void => {
      if (settled.size === calls.size || answered.length >= wanted) finish(false);
    };

    let timeout = timeouts.discoveryTimeoutMs;
    const onTick = (): void => {
      if (answered.length > 0) return finish(true);
      tick = timers.setTimeout(onTick, timeout);
      timeout = Math.min(timeout * 2, timeouts.maxDiscoveryTimeoutMs);
    };
    tick = timers.setTimeout(onTick, timeout);
    cutoff = timers.setTimeout(() => finish(true), timeouts.maxDiscoveryTimeoutMs);

    for (const [uri, call] of calls) {
      void call.then((ok) => {
        if (done) return;
        settled.add(uri);
        (ok ? answered : failed).push(uri);
        check();
      });
    }
    check();
  });
}
