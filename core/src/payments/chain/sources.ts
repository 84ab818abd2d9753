/**
 * What the payments code needs to know about the chain, as small interfaces the
 * chain module implements (viem against anvil or Arbitrum One). Reads that happen
 * per ticket are synchronous: implementations serve them from a cache their
 * watchers keep fresh, as go-livepeer's TimeWatcher does. Per-sender reads may go
 * to the RPC and are asynchronous.
 */
import type { Address } from '../encoding/address.js';

/** Rounds and blocks (go-livepeer's TimeManager). */
export interface RoundsSource {
  lastInitializedRound(): bigint;
  /** L1 block hash of the last initialized round; 32 bytes, may be all zero on Arbitrum. */
  lastInitializedL1BlockHash(): Uint8Array;
  /** Block hash of the round before, used when the last one reads as zero. */
  preLastInitializedL1BlockHash(): Uint8Array;
  /** Latest L1 block number seen (Arbitrum's l1BlockNumber, or the block number on L1). */
  lastSeenL1Block(): bigint;
  /** BondingManager transcoder pool size (the active set). */
  transcoderPoolSize(): bigint;
  /** Called with each new L1 block number; returns an unsubscribe function. */
  subscribeL1Blocks?(listener: (block: bigint) => void): () => void;
}

export interface ReserveInfo {
  readonly fundsRemaining: bigint;
  readonly claimedInCurrentRound: bigint;
}

/** TicketBroker.getSenderInfo. */
export interface SenderInfo {
  readonly deposit: bigint;
  /** 0 when no unlock is in progress. */
  readonly withdrawRound: bigint;
  readonly reserve: ReserveInfo;
}

/** Sender deposits and reserves (go-livepeer's SenderManager). */
export interface SenderInfoSource {
  getSenderInfo(sender: Address): Promise<SenderInfo>;
  /** TicketBroker.claimedReserve(reserveHolder, claimant). */
  claimedReserve(reserveHolder: Address, claimant: Address): Promise<bigint>;
  /** Drops any cache kept for the sender (called when the monitor forgets it). */
  clear?(sender: Address): void;
}

/** Cached gas price (go-livepeer's GasPriceMonitor); wei per gas. */
export interface GasPriceSource {
  gasPrice(): bigint;
}

/** Whether an orchestrator is in the active set for a round (go-livepeer reads its DB copy of the pool). */
export interface ActiveSetSource {
  isActive(orchestrator: Address, round: bigint): Promise<boolean>;
}

/** True when the sender's unlock completes no later than the round after next. */
export function isUnlockingSoon(info: SenderInfo, lastInitializedRound: bigint): boolean {
  return info.withdrawRound !== 0n && info.withdrawRound <= lastInitializedRound + 1n;
}
