import type { Hex } from 'viem';

/** What one redemption attempt concluded. Thrown errors mean "transient, retry". */
export type RedemptionOutcome =
  /** `payout` below the face value only for a last-round partial payout (see ADR 0121). */
  | { status: 'redeemed'; txHash: Hex; blockNumber: bigint; gasUsed: bigint; fee: bigint; payout: bigint; partial: boolean }
  /** usedTickets says it is spent; `txHash` is set when the spending tx was ours. */
  | { status: 'already-used'; txHash: Hex | undefined }
  /** Not now, for a known reason: look again later (durably, via BullMQ's delayed set). */
  | { status: 'wait'; reason: WaitReason; blocksLeft?: bigint; detail?: string }
  /** Something went wrong that may not next time: retry with backoff until the ticket expires. */
  | { status: 'retry'; reason: RetryReason; detail: string }
  /** Never redeemable; recorded as failed. */
  | { status: 'failed'; reason: FailReason; detail: string };

export type WaitReason =
  | 'params-not-expired'
  | 'round-not-initialized'
  | 'face-value-below-tx-cost'
  | 'sender-funds-below-tx-cost'
  /** deposit + our claimable reserve share < face value: sending now would pay short (or revert). */
  | 'sender-funds-below-face-value'
  /** The sender's unlock period ended: the broker refuses redemption until it funds again. */
  | 'sender-unlocked';

export type RetryReason =
  /** RPC down, timeouts, nonce races (thrown by viem). */
  | 'rpc'
  /** Mined but reverted, and usedTickets says the ticket is still unspent. */
  | 'reverted-after-send'
  /** The gas estimate reverted for a reason we do not know to be final. */
  | 'revert'
  | 'unknown';

export type FailReason = 'expired' | 'invalid-ticket';

/** Contract reverts that no amount of waiting changes: the ticket itself is bad. */
export const PERMANENT_REVERTS: ReadonlySet<string> = new Set([
  'ticket did not win',
  'invalid signature over ticket hash',
  'recipientRand does not match recipientRandHash',
  'ticket recipient is null address',
  'ticket sender is null address',
  'invalid length for ticket auxData: must be 64 bytes',
  'ticket creationRoundBlockHash invalid for creationRound',
]);

/** Reverts that mean "not yet" rather than "never". */
export const WAIT_REVERTS: Readonly<Record<string, WaitReason>> = {
  'current round is not initialized': 'round-not-initialized',
  'sender deposit and reserve are zero': 'sender-funds-below-face-value',
  'sender is unlocked': 'sender-unlocked',
};
