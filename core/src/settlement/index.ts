export { RedemptionQueue, REDEMPTION_QUEUE_NAME, type RedemptionQueueOptions } from './redemption-queue.js';
export { RedemptionWorker, type RedemptionResult, type RedemptionWorkerOptions } from './redemption-worker.js';
export { redemptionJobId, toRedeemable, type RedeemableOnChain } from './redemption-ticket.js';
export { SettlementLedger, type FailedEntry, type RedeemedEntry } from './settlement-ledger.js';
export { TicketRedeemer, type RedemptionOutcome, type TicketRedeemerDeps, type WaitReason } from './ticket-redeemer.js';
export { startSettlement, type Settlement, type SettlementOptions } from './start-settlement.js';
