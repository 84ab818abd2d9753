import type { Registry } from 'prom-client';
import { counterOf as counter, GweiCarry } from '../observability/metric-kit.js';
import type { SettlementOutcomeEvent } from './settlement-events.js';

export interface SettlementMetrics {
  record(event: SettlementOutcomeEvent): void;
}

/**
 * `lpx_settlement_redemptions_total{outcome,reason}` counts every attempt's
 * outcome. Value redeemed is counted in whole gwei: a float64 counter is exact
 * up to 2^53, which in gwei is ~9 million ETH, while in wei it would round
 * after 0.009 ETH. The sub-gwei remainder is carried in this process so the
 * counter always equals floor(total wei / 1e9); the exact wei total is the
 * ledger's (SettlementLedger.redeemedTotal).
 */
export function settlementMetrics(registry: Registry): SettlementMetrics {
  const outcomes = counter(registry, 'lpx_settlement_redemptions_total', 'Winning-ticket redemption attempts by outcome (redeemed, already_used, retry, waiting, failed, forwarded) and reason.', ['outcome', 'reason']);
  const value = counter(registry, 'lpx_settlement_redeemed_value_gwei_total', 'Value received from redeemed winning tickets, in whole gwei (exact wei totals are in the settlement ledger).', ['recipient']);
  const carry = new GweiCarry();
  return {
    record(event) {
      outcomes.inc({ outcome: event.outcome, reason: event.reason });
      if (event.outcome !== 'redeemed') return;
      const gwei = carry.add(event.recipient, BigInt(event.payout ?? event.faceValue));
      if (gwei > 0) value.inc({ recipient: event.recipient }, gwei);
    },
  };
}
