import { setTimeout as sleep } from 'node:timers/promises';
import type { AIRunnerEndpoint } from '@lpx/sdk';
import { checkHealth, type RunnerHealthStatus } from './runner-client.js';

export type ReadyResult =
  | { readonly ready: true; readonly status: Exclude<RunnerHealthStatus, 'ERROR'> }
  | { readonly ready: false; readonly reason: string };

export interface WaitReadyOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly healthMs: number;
  readonly signal?: AbortSignal;
  /** Checked between polls: a container that exited will never answer (fail fast like go-livepeer). */
  readonly stillAlive?: () => Promise<string | undefined>;
  /** false: keep polling through LOADING (a runner started for a waiting request must be able to take it). */
  readonly acceptLoading?: boolean;
}

/**
 * Polls `/health` until the runner answers anything but ERROR (LOADING
 * counts as started, as in go-livepeer: the caller keeps a loading warm
 * runner out of the pool until it says IDLE).
 */
export async function waitUntilReady(endpoint: AIRunnerEndpoint, options: WaitReadyOptions): Promise<ReadyResult> {
  const deadline = Date.now() + options.timeoutMs;
  let lastReason = 'no answer yet';
  while (!options.signal?.aborted) {
    const budgetMs = Math.min(options.healthMs, Math.max(1, deadline - Date.now()));
    const health = await checkHealth(endpoint, budgetMs, options.signal);
    if (health.ok) {
      if (health.status === 'ERROR') return { ready: false, reason: 'the runner reports ERROR on /health' };
      if (health.status !== 'LOADING' || options.acceptLoading !== false) return { ready: true, status: health.status };
      lastReason = 'still LOADING';
    } else if (budgetMs === options.healthMs || lastReason === 'no answer yet') {
      // A probe the deadline cut short says nothing about the runner: the last full one's finding stays.
      lastReason = health.reason;
    }
    const dead = await options.stillAlive?.();
    if (dead) return { ready: false, reason: dead };
    if (Date.now() + options.pollMs > deadline) return { ready: false, reason: `not healthy within ${options.timeoutMs} ms (last: ${lastReason})` };
    await sleep(options.pollMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
  return { ready: false, reason: 'cancelled (the node is stopping)' };
}
