import type { Registry } from 'prom-client';
import { counterByLabel, counterTotal, firstCounterTotal } from './metric-totals.js';
import type { GatewayStatus, OrchestratorStatus } from './status-types.js';

const WEI_PER_GWEI = 1_000_000_000n;

/**
 * Ticket value sent, under the names the metrics work may give it (ours, then
 * go-livepeer's); absent until one exists. Counted in wei as an integer.
 */
const TICKET_VALUE_SENT = ['lpx_gateway_ticket_value_sent_wei_total', 'livepeer_ticket_value_sent'];

/** Spend side: what this gateway paid orchestrators and how routing went. */
export async function gatewayStatus(registry: Registry): Promise<GatewayStatus> {
  const value = await firstCounterTotal(registry, TICKET_VALUE_SENT);
  return {
    ticketsSent: (await counterTotal(registry, 'lpx_gateway_tickets_sent_total')) ?? 0,
    ...(value === undefined ? {} : { ticketValueSentWei: BigInt(Math.trunc(value)).toString() }),
    orchestratorFailures: (await counterTotal(registry, 'lpx_gateway_orchestrator_failures_total')) ?? 0,
  };
}

/** Earnings side: tickets in, winners, and redemptions (settlement metrics, ADR 0121). */
export async function orchestratorStatus(registry: Registry): Promise<OrchestratorStatus> {
  const redeemedGwei = (await counterTotal(registry, 'lpx_settlement_redeemed_value_gwei_total')) ?? 0;
  return {
    ticketsReceived: (await counterTotal(registry, 'lpx_orchestrator_tickets_received_total')) ?? 0,
    ticketsCredited: (await counterTotal(registry, 'lpx_orchestrator_tickets_credited_total')) ?? 0,
    winningTickets: (await counterTotal(registry, 'lpx_orchestrator_winning_tickets_total')) ?? 0,
    ticketRefusals: (await counterTotal(registry, 'lpx_orchestrator_ticket_refusals_total')) ?? 0,
    redemptions: (await counterByLabel(registry, 'lpx_settlement_redemptions_total', 'outcome')) ?? {},
    redeemedWei: (BigInt(Math.trunc(redeemedGwei)) * WEI_PER_GWEI).toString(),
  };
}
