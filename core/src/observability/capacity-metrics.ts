/**
 * What an orchestrator can take and what it holds: go-livepeer's
 * `livepeer_max_sessions_total` / `livepeer_current_sessions_total` (transcode
 * sessions) and, per capability and model, lpx's capacity and units in use.
 * Read at scrape time from the capability registry and the session limit.
 */
import type { Registry } from 'prom-client';
import type { CapabilitiesService } from '@lpx/sdk';
import { gaugeOf, livepeerBase, LIVEPEER_BASE_LABELS } from './metric-kit.js';

export interface SessionView {
  readonly maxSessions: number;
  readonly active: number;
}

export function capacityMetrics(registry: Registry, capabilities: Pick<CapabilitiesService, 'list' | 'available'>, sessions: SessionView): void {
  const base = livepeerBase('orch');
  gaugeOf(registry, 'livepeer_max_sessions_total', 'Transcode sessions this orchestrator accepts at once (orchestrator.maxSessions).', LIVEPEER_BASE_LABELS, function () {
    this.set(base, sessions.maxSessions);
  });
  gaugeOf(registry, 'livepeer_current_sessions_total', 'Transcode sessions this orchestrator currently holds.', LIVEPEER_BASE_LABELS, function () {
    this.set(base, sessions.active);
  });
  // model "" is the capability as a whole; a capability with models also reports each model.
  const each = (visit: (capability: string, model: string, capacity: number, available: number) => void): void => {
    for (const descriptor of capabilities.list()) {
      visit(descriptor.id, '', descriptor.capacity, capabilities.available(descriptor.id));
      for (const [model, constraint] of Object.entries(descriptor.constraints.models ?? {})) {
        visit(descriptor.id, model, constraint.capacity ?? descriptor.capacity, capabilities.available(descriptor.id, model));
      }
    }
  };
  gaugeOf(registry, 'lpx_capability_capacity', 'Units of work this node accepts at once, by capability and model ("" = the capability as a whole).', ['capability', 'model'], function () {
    this.reset();
    each((capability, model, capacity) => this.set({ capability, model }, capacity));
  });
  gaugeOf(registry, 'lpx_capability_in_use', 'Units of capacity currently reserved by running work, by capability and model.', ['capability', 'model'], function () {
    this.reset();
    each((capability, model, capacity, available) => this.set({ capability, model }, Math.max(0, capacity - available)));
  });
}
