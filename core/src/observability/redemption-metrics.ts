/**
 * Winning-ticket redemption as go-livepeer reports it — `livepeer_value_redeemed`
 * (gwei) and `livepeer_ticket_redemption_errors` — plus the gas the
 * redemptions cost (lpx only). Fed by the settlement's outcome events
 * (ADR 0120), each also sent on the node's event stream with exact wei.
 */
import type { Registry } from 'prom-client';
import type { SettlementOutcomeEvent } from '../settlement/settlement-events.js';
import { counterOf, GweiCarry, livepeerBase, LIVEPEER_BASE_LABELS } from './metric-kit.js';
import { nodeEventsOf } from './node-events.js';

export interface RedemptionObserver {
  record(event: SettlementOutcomeEvent): void;
}

export function redemptionMetrics(registry: Registry): RedemptionObserver {
  const base = livepeerBase('rdmr');
  const redeemed = counterOf(registry, 'livepeer_value_redeemed', 'Value received from redeemed winning tickets, in gwei (go-livepeer unit; floor of the exact wei total).', LIVEPEER_BASE_LABELS);
  const failures = counterOf(registry, 'livepeer_ticket_redemption_errors', 'Redemption attempts that failed: transient errors that will be retried and final failures.', LIVEPEER_BASE_LABELS);
  const gas = counterOf(registry, 'lpx_settlement_gas_spent_gwei_total', 'Gas fees (gasUsed × effective gas price) of successful redemption transactions, in whole gwei.', []);
  const redeemedTickets = counterOf(registry, 'lpx_settlement_tickets_redeemed_total', 'Winning tickets redeemed on-chain by this node.', []);
  const carry = new GweiCarry();
  const events = nodeEventsOf(registry);
  return {
    record(event) {
      const common = { tickets: 1, ticketHash: event.ticketHash, sender: event.sender, recipient: event.recipient, faceValueWei: event.faceValue, at: event.at } as const;
      if (event.outcome === 'redeemed') {
        const payout = event.payout ?? event.faceValue;
        redeemed.inc(base, carry.add('value', BigInt(payout)));
        redeemedTickets.inc();
        if (event.gasFee !== undefined) gas.inc(carry.add('gas', BigInt(event.gasFee)));
        events.emit({ type: 'payment', phase: 'ticket_redeemed', ...common, payoutWei: payout, ...(event.gasFee !== undefined ? { gasFeeWei: event.gasFee } : {}), ...(event.txHash !== undefined ? { txHash: event.txHash } : {}) });
        return;
      }
      if (event.outcome === 'retry' || event.outcome === 'failed') {
        failures.inc(base);
        events.emit({ type: 'payment', phase: 'redemption_failed', ...common, reason: event.reason });
      }
    },
  };
}
