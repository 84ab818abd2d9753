/**
 * The gateway's view of its requests and of each orchestrator it uses.
 * Requests are the route jobs (one per client request, every capability);
 * orchestrator attempts, swaps and suspensions are per orchestrator URI.
 * go-livepeer has `livepeer_orchestrator_swaps`; the rest is lpx only.
 */
import type { Registry } from 'prom-client';
import { counterOf, gaugeOf, histogramOf, livepeerBase, LIVEPEER_BASE_LABELS } from './metric-kit.js';
import { nodeEventsOf } from './node-events.js';
import type { JobsObserver } from '../jobs/jobs-metrics.js';
import type { FailoverAction } from '../roles/gateway/failover-policy.js';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Counts and times every route attempt (a gateway request) and puts it on the event stream as a `gateway` job. */
export function gatewayRequestMetrics(registry: Registry): JobsObserver {
  const requests = counterOf(registry, 'lpx_gateway_requests_total', 'Client requests (route job attempts) by capability and outcome: completed, failed (final), retried.', ['capability', 'outcome']);
  const seconds = histogramOf(registry, 'lpx_gateway_request_duration_seconds', 'Time from a route attempt starting to its answer, by capability and outcome.', ['capability', 'outcome'], SECONDS_BUCKETS);
  const events = nodeEventsOf(registry);
  const at = Date.now;
  return {
    queued(capability, id) {
      events.emit({ type: 'job', phase: 'queued', scope: 'gateway', capability, id, at: at() });
    },
    started(capability, id, attempt) {
      events.emit({ type: 'job', phase: 'started', scope: 'gateway', capability, id, attempt, at: at() });
    },
    completed(capability, secondsTaken, id = '', attempt) {
      requests.inc({ capability, outcome: 'completed' });
      seconds.observe({ capability, outcome: 'completed' }, secondsTaken);
      events.emit({ type: 'job', phase: 'completed', scope: 'gateway', capability, id, outcome: 'completed', durationMs: secondsTaken * 1000, ...(attempt !== undefined ? { attempt } : {}), at: at() });
    },
    failed(capability, secondsTaken, final, id = '', attempt, error) {
      const outcome = final ? 'failed' : 'retried';
      requests.inc({ capability, outcome });
      seconds.observe({ capability, outcome: 'failed' }, secondsTaken);
      events.emit({ type: 'job', phase: final ? 'failed' : 'retried', scope: 'gateway', capability, id, outcome: 'failed', durationMs: secondsTaken * 1000, ...(attempt !== undefined ? { attempt } : {}), ...(error !== undefined ? { error } : {}), at: at() });
    },
  };
}

export interface OrchestratorMetrics {
  /** One attempt on an orchestrator that answered with work done. */
  succeeded(orchestrator: string, seconds: number): void;
  /** One attempt that failed, and what the gateway did about it (`action` from the failover policy). */
  failed(orchestrator: string, action: string): void;
  suspended(orchestrator: string, reason: string): void;
}

/** Failover actions that move the work to another orchestrator: go-livepeer counts these as swaps. */
const SWAP_ACTIONS: ReadonlySet<string> = new Set<FailoverAction>(['try-another', 'suspend-and-try-another']);

export function orchestratorMetrics(registry: Registry): OrchestratorMetrics {
  const base = livepeerBase('bctr');
  const attempts = counterOf(registry, 'lpx_gateway_orchestrator_attempts_total', 'Attempts this gateway made on each orchestrator, by outcome (success, failure).', ['orchestrator', 'outcome']);
  const latency = histogramOf(registry, 'lpx_gateway_orchestrator_latency_seconds', 'Time of successful attempts on each orchestrator (request sent to answer received).', ['orchestrator'], SECONDS_BUCKETS);
  const suspensions = counterOf(registry, 'lpx_gateway_orchestrator_suspensions_total', 'Times this gateway suspended an orchestrator (penalised for some pool refreshes).', ['orchestrator']);
  const swaps = counterOf(registry, 'livepeer_orchestrator_swaps', 'Failed attempts after which the gateway moved the work to another orchestrator.', LIVEPEER_BASE_LABELS);
  return {
    succeeded(orchestrator, seconds) {
      attempts.inc({ orchestrator, outcome: 'success' });
      latency.observe({ orchestrator }, seconds);
    },
    failed(orchestrator, action) {
      attempts.inc({ orchestrator, outcome: 'failure' });
      if (SWAP_ACTIONS.has(action)) swaps.inc(base);
    },
    suspended(orchestrator) {
      suspensions.inc({ orchestrator });
    },
  };
}

/** What the pool knows per orchestrator at scrape time. */
export interface PoolView {
  cached(): readonly { readonly uri: string; readonly latencyMs: number }[];
  isSuspended(uri: string): boolean;
}

/** GetOrchestrator latency and suspension state per orchestrator, read from the pool at scrape time. */
export function orchestratorPoolMetrics(registry: Registry, pool: PoolView): void {
  gaugeOf(registry, 'lpx_gateway_orchestrator_info_latency_seconds', 'Latency of the last GetOrchestrator answer from each orchestrator in the pool.', ['orchestrator'], function () {
    this.reset();
    for (const entry of pool.cached()) if (Number.isFinite(entry.latencyMs)) this.set({ orchestrator: entry.uri }, entry.latencyMs / 1000);
  });
  gaugeOf(registry, 'lpx_gateway_orchestrators', 'Orchestrators in the pool, by state (usable, suspended).', ['state'], function () {
    let suspended = 0;
    const all = pool.cached();
    for (const entry of all) if (pool.isSuspended(entry.uri)) suspended++;
    this.set({ state: 'usable' }, all.length - suspended);
    this.set({ state: 'suspended' }, suspended);
  });
}
