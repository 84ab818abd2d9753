/**
 * BullMQ queue depths per capability, read at scrape time (one
 * getJobCounts per queue this process has used). lpx only: go-livepeer has
 * no job queues. A node has two kinds: its worker queues (`node`) and, with
 * the gateway role, the route queue of client requests (`gateway`).
 */
import type { Registry } from 'prom-client';
import { gaugeOf } from './metric-kit.js';

export interface QueueSource {
  /** Capabilities whose queue this process has touched. */
  capabilityIds(): readonly string[];
  queueFor(capabilityId: string): { getJobCounts(...states: string[]): Promise<Record<string, number>> };
}

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
const sources = new WeakMap<Registry, Map<string, QueueSource>>();

/** Adds `source` under `scope` to the registry's lpx_queue_jobs gauge (created on first use). */
export function queueDepthMetrics(registry: Registry, scope: string, source: QueueSource): void {
  let scopes = sources.get(registry);
  if (scopes === undefined) {
    scopes = new Map();
    sources.set(registry, scopes);
  }
  scopes.set(scope, source);
  const known = scopes;
  gaugeOf(registry, 'lpx_queue_jobs', 'Jobs in each BullMQ queue by state (waiting, active, delayed, prioritized, failed, completed); scope node = worker queues, gateway = client requests.', ['scope', 'capability', 'state'], async function () {
    this.reset();
    const reads: Promise<void>[] = [];
    for (const [queueScope, queues] of known) {
      for (const capability of queues.capabilityIds()) {
        reads.push(
          queues
            .queueFor(capability)
            .getJobCounts(...STATES)
            .then(
              (counts) => {
                for (const state of STATES) this.set({ scope: queueScope, capability, state }, counts[state] ?? 0);
              },
              // Redis away: the depth is unknown, not zero; /readyz says why.
              () => undefined,
            ),
        );
      }
    }
    await Promise.all(reads);
  });
}
