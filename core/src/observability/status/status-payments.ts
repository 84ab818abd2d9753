import type { Registry } from 'prom-client';
import { WEI_PER_GWEI } from '../metric-kit.js';
import { counterByLabel, counterTotal } from './metric-totals.js';
import type { GatewayStatus, OrchestratorStatus } from './status-types.js';

/** A whole-gwei counter's value in wei (the counters keep floor(wei / 1e9), ADR 0056). */
function gweiToWei(gwei: number): string {
  return (BigInt(Math.trunc(gwei)) * WEI_PER_GWEI).toString();
}

/** Spend side: what this gateway paid orchestrators and how routing went. */
export async function gatewayStatus(registry: Registry): Promise<GatewayStatus> {
  // go-livepeer's name and unit (gwei); absent on a node whose payments never registered it.
  const valueGwei = await counterTotal(registry, 'livepeer_ticket_value_sent');
  return {
    ticketsSent: (await counterTotal(registry, 'lpx_gateway_tickets_sent_total')) ?? 0,
    ...(valueGwei === undefined ? {} : { ticketValueSentWei: gweiToWei(valueGwei) }),
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
    redeemedWei: gweiToWei(redeemedGwei),
  };
}
