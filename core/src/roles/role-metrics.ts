/**
 * What the network roles count, on the node's /metrics: tickets a gateway sent
 * and the route outcomes, winning tickets an orchestrator queued for
 * redemption. Reused when already registered (several hosts in one process).
 */
import type { Counter, Registry } from 'prom-client';
import { counterOf as counter } from '../observability/metric-kit.js';
import { refusalLabel, type RefusalCounter, type TicketCounters } from '../payments/index.js';

export interface GatewayMetrics {
  ticketsSent(orchestrator: string, count: number): void;
  attemptFailed(action: string): void;
  aiLiveFallback(pipeline: string, outcome: string): void;
}

export function gatewayMetrics(registry: Registry): GatewayMetrics {
  const tickets = counter(registry, 'lpx_gateway_tickets_sent_total', 'Payment tickets this gateway signed and sent, by orchestrator.', ['orchestrator']);
  const failures = counter(registry, 'lpx_gateway_orchestrator_failures_total', 'Orchestrator attempts that failed, by the failover action taken.', ['action']);
  const fallback = counter(registry, 'lpx_gateway_ai_live_runner_fallback_total', 'Batch AI requests no batch orchestrator took, sent to a Live Runner app (ADR 0050), by pipeline and outcome: served, no-app, refused (4xx), failed.', ['pipeline', 'outcome']);
  return {
    ticketsSent: (orchestrator, count) => tickets.inc({ orchestrator }, count),
    attemptFailed: (action) => failures.inc({ action }),
    aiLiveFallback: (pipeline, outcome) => fallback.inc({ pipeline, outcome }),
  };
}

export function winningTicketsCounter(registry: Registry): Counter<never> {
  return counter(registry, 'lpx_orchestrator_winning_tickets_total', 'Winning tickets received and queued for redemption.', []);
}

export interface OrchestratorTicketMetrics {
  /** Plugs into PaymentProcessor/Recipient `refusals`; unknown reasons count as `other`. */
  readonly refusals: RefusalCounter;
  /** Plugs into PaymentProcessor `tickets`. */
  readonly tickets: TicketCounters;
}

/** Tickets an orchestrator received, credited and refused (by a fixed set of reasons, so labels stay few). */
export function orchestratorTicketMetrics(registry: Registry): OrchestratorTicketMetrics {
  const refused = counter(registry, 'lpx_orchestrator_ticket_refusals_total', 'Payments and tickets this orchestrator refused, by reason (a fatal refusal counts once per payment, a ticket refusal once per ticket).', ['reason']);
  const received = counter(registry, 'lpx_orchestrator_tickets_received_total', 'Tickets received in payments that decoded.', []);
  const credited = counter(registry, 'lpx_orchestrator_tickets_credited_total', 'Tickets whose expected value was credited to a sender balance (each at most once).', []);
  return {
    refusals: { inc: ({ reason }) => refused.inc({ reason: refusalLabel(reason) }) },
    tickets: { received: (count) => received.inc(count), credited: (count) => credited.inc(count) },
  };
}

/** Webhook POST outcomes (ADR 0019): delivered, retried (will try again), failed (gave up), refused (egress policy at delivery). */
export function webhookDeliveriesCounter(registry: Registry): Counter<'outcome'> {
  return counter(registry, 'lpx_gateway_webhook_deliveries_total', 'Webhook delivery attempts by outcome: delivered, retried, failed (final), refused (egress policy).', ['outcome']);
}

/** Output pixels this orchestrator debited for transcoded segments (price × pixels is what it charged). */
export function segmentPixelsCounter(registry: Registry): Counter<never> {
  return counter(registry, 'lpx_orchestrator_segment_pixels_total', 'Output pixels of transcoded segments debited from gateways (each segment once, only when its renditions were delivered).', []);
}
