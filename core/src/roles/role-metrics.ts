/**
 * What the network roles count, on the node's /metrics: tickets a gateway sent
 * and the route outcomes, winning tickets an orchestrator queued for
 * redemption. Reused when already registered (several hosts in one process).
 */
import { Counter, type Registry } from 'prom-client';

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
}

export interface GatewayMetrics {
  ticketsSent(orchestrator: string, count: number): void;
  attemptFailed(action: string): void;
}

export function gatewayMetrics(registry: Registry): GatewayMetrics {
  const tickets = counter(registry, 'lpx_gateway_tickets_sent_total', 'Payment tickets this gateway signed and sent, by orchestrator.', ['orchestrator']);
  const failures = counter(registry, 'lpx_gateway_orchestrator_failures_total', 'Orchestrator attempts that failed, by the failover action taken.', ['action']);
  return {
    ticketsSent: (orchestrator, count) => tickets.inc({ orchestrator }, count),
    attemptFailed: (action) => failures.inc({ action }),
  };
}

export function winningTicketsCounter(registry: Registry): Counter<never> {
  return counter(registry, 'lpx_orchestrator_winning_tickets_total', 'Winning tickets received and queued for redemption.', []);
}

/** Webhook POST outcomes (ADR 0019): delivered, retried (will try again), failed (gave up), refused (egress policy at delivery). */
export function webhookDeliveriesCounter(registry: Registry): Counter<'outcome'> {
  return counter(registry, 'lpx_gateway_webhook_deliveries_total', 'Webhook delivery attempts by outcome: delivered, retried, failed (final), refused (egress policy).', ['outcome']);
}
