/**
 * Ticket value sent (gateway) and received (orchestrator): go-livepeer's
 * `livepeer_ticket_value_sent`, `livepeer_tickets_sent`,
 * `livepeer_payment_create_errors`, `livepeer_ticket_value_recv`,
 * `livepeer_tickets_recv`, `livepeer_payment_recv_errors`,
 * `livepeer_winning_tickets_recv` — same names, same unit (gwei) and base
 * labels — plus per-orchestrator spend. Each also goes on the node's event
 * stream with the exact wei as a decimal string. Metrics only observe: the
 * values come from the payment code's own integers, never back into it.
 */
import type { Registry } from 'prom-client';
import { ticketEV } from '../payments/math/ev.js';
import type { Rational } from '../payments/math/rational.js';
import { counterOf, GweiCarry, livepeerBase, LIVEPEER_BASE_LABELS } from './metric-kit.js';
import { nodeEventsOf } from './node-events.js';

const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString('hex')}`;

/** What a TicketSender reports (gateway): a signed batch, or a batch it could not create. */
export interface TicketObserver {
  sent(batch: { readonly recipient: Uint8Array; readonly sender: Uint8Array; readonly faceValue: bigint; readonly winProb: bigint }, count: number): void;
  failed(error: unknown): void;
}

export function ticketSenderMetrics(registry: Registry): TicketObserver {
  const base = livepeerBase('bctr');
  const value = counterOf(registry, 'livepeer_ticket_value_sent', 'Expected value of the tickets this gateway sent, in gwei (go-livepeer unit; floor of the exact wei total).', LIVEPEER_BASE_LABELS);
  const tickets = counterOf(registry, 'livepeer_tickets_sent', 'Tickets this gateway signed and sent.', LIVEPEER_BASE_LABELS);
  const errors = counterOf(registry, 'livepeer_payment_create_errors', 'Ticket batches this gateway could not create (params refused, funds too low, chain state unavailable).', LIVEPEER_BASE_LABELS);
  const perRecipient = counterOf(registry, 'lpx_gateway_ticket_value_sent_gwei_total', 'Expected value of the tickets sent, by recipient address, in whole gwei.', ['recipient']);
  const carry = new GweiCarry();
  const events = nodeEventsOf(registry);
  return {
    sent(batch, count) {
      const wei = ticketEV(batch.faceValue, batch.winProb).mulInt(BigInt(count));
      const recipient = hex(batch.recipient);
      tickets.inc(base, count);
      value.inc(base, carry.add('', wei));
      perRecipient.inc({ recipient }, carry.add(recipient, wei));
      events.emit({ type: 'payment', phase: 'ticket_sent', tickets: count, valueWei: wei.floor().toString(), faceValueWei: batch.faceValue.toString(), sender: hex(batch.sender), recipient, at: Date.now() });
    },
    failed() {
      errors.inc(base);
    },
  };
}

/** What the orchestrator's PaymentProcessor reports beyond its existing counters. */
export interface PaymentReceiptObserver {
  received(count: number): void;
  credited(count: number, value: Rational, sender: string): void;
  refused(): void;
  winning(ticket: { readonly ticketHash: string; readonly sender: string; readonly recipient: string; readonly faceValue: string }): void;
}

export function paymentReceiptMetrics(registry: Registry): PaymentReceiptObserver {
  const base = livepeerBase('orch');
  const value = counterOf(registry, 'livepeer_ticket_value_recv', 'Expected value of the tickets this orchestrator credited, in gwei (go-livepeer unit; floor of the exact wei total).', LIVEPEER_BASE_LABELS);
  const tickets = counterOf(registry, 'livepeer_tickets_recv', 'Tickets received in payments that decoded.', LIVEPEER_BASE_LABELS);
  const errors = counterOf(registry, 'livepeer_payment_recv_errors', 'Payments and tickets this orchestrator refused (reasons: lpx_orchestrator_ticket_refusals_total).', LIVEPEER_BASE_LABELS);
  const winning = counterOf(registry, 'livepeer_winning_tickets_recv', 'Winning tickets received and queued for redemption.', LIVEPEER_BASE_LABELS);
  const carry = new GweiCarry();
  const events = nodeEventsOf(registry);
  return {
    received(count) {
      tickets.inc(base, count);
    },
    credited(count, wei, sender) {
      value.inc(base, carry.add('', wei));
      events.emit({ type: 'payment', phase: 'ticket_received', tickets: count, valueWei: wei.floor().toString(), sender, at: Date.now() });
    },
    refused() {
      errors.inc(base);
    },
    winning(ticket) {
      winning.inc(base);
      events.emit({ type: 'payment', phase: 'ticket_winning', tickets: 1, faceValueWei: ticket.faceValue, ticketHash: ticket.ticketHash, sender: ticket.sender, recipient: ticket.recipient, at: Date.now() });
    },
  };
}
