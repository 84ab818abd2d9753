import { EventEmitter } from 'node:events';

/** The fate of one redemption attempt; also the `outcome` label of the metric. */
export type SettlementOutcomeKind = 'redeemed' | 'already_used' | 'retry' | 'waiting' | 'failed' | 'forwarded';

/**
 * One outcome of one attempt. `reason` is a short fixed token (a metric
 * label, so low-cardinality); `detail` carries the free text (revert
 * reason, RPC message) for logs and listeners.
 */
export interface SettlementOutcomeEvent {
  outcome: SettlementOutcomeKind;
  reason: string;
  ticketHash: string;
  recipient: string;
  sender: string;
  /** Decimal wei strings: wei can exceed 2^53. */
  faceValue: string;
  payout?: string;
  /** For `redeemed`: the transaction's fee (gasUsed × effective gas price), decimal wei. */
  gasFee?: string;
  txHash?: string;
  detail?: string;
  /** For `retry`: how many transient failures so far and the delay before the next try. */
  retry?: number;
  delayMs?: number;
  at: number;
}

interface SettlementEventMap {
  outcome: [SettlementOutcomeEvent];
}

/** Typed emitter behind `settlement.on('outcome', …)`. */
export class SettlementEvents extends EventEmitter<SettlementEventMap> {}
