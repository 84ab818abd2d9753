import type { Address, Hex } from 'viem';
import type { ChainPublicClient } from './connection.js';
import { ticketBrokerAbi } from './generated/abis.js';

export interface SenderInfo {
  deposit: bigint;
  /** 0 when no unlock is in progress. */
  withdrawRound: bigint;
  reserve: { fundsRemaining: bigint; claimedInCurrentRound: bigint };
}

export async function readSenderInfo(client: ChainPublicClient, ticketBroker: Address, sender: Address): Promise<SenderInfo> {
  const [info, reserve] = await client.readContract({
    address: ticketBroker,
    abi: ticketBrokerAbi,
    functionName: 'getSenderInfo',
    args: [sender],
  });
  return { deposit: info.deposit, withdrawRound: info.withdrawRound, reserve: { ...reserve } };
}

export function isTicketUsed(client: ChainPublicClient, ticketBroker: Address, ticketHash: Hex): Promise<boolean> {
  return client.readContract({ address: ticketBroker, abi: ticketBrokerAbi, functionName: 'usedTickets', args: [ticketHash] });
}

export function claimableReserve(client: ChainPublicClient, ticketBroker: Address, holder: Address, claimant: Address): Promise<bigint> {
  return client.readContract({ address: ticketBroker, abi: ticketBrokerAbi, functionName: 'claimableReserve', args: [holder, claimant] });
}

export function claimedReserve(client: ChainPublicClient, ticketBroker: Address, holder: Address, claimant: Address): Promise<bigint> {
  return client.readContract({ address: ticketBroker, abi: ticketBrokerAbi, functionName: 'claimedReserve', args: [holder, claimant] });
}

export function unlockPeriod(client: ChainPublicClient, ticketBroker: Address): Promise<bigint> {
  return client.readContract({ address: ticketBroker, abi: ticketBrokerAbi, functionName: 'unlockPeriod' });
}

export function ticketValidityPeriod(client: ChainPublicClient, ticketBroker: Address): Promise<bigint> {
  return client.readContract({ address: ticketBroker, abi: ticketBrokerAbi, functionName: 'ticketValidityPeriod' });
}

/**
 * A recipient's share of a sender's reserve this round, computed off-chain
 * the way go-livepeer's sender monitor does: (remaining + claimed this round)
 * / pool size − what this recipient already claimed. Integer division; 0 when
 * the pool is empty.
 */
export function reserveAllocation(info: SenderInfo, poolSize: bigint, claimedByRecipient: bigint): bigint {
  if (poolSize === 0n) return 0n;
  const share = (info.reserve.fundsRemaining + info.reserve.claimedInCurrentRound) / poolSize;
  return share > claimedByRecipient ? share - claimedByRecipient : 0n;
}

/**
 * go-livepeer's sender check before accepting tickets: an unlock that ends
 * within a round makes the sender's funds unsafe to count on.
 */
export function isUnlockingSoon(info: SenderInfo, lastInitializedRound: bigint): boolean {
  return info.withdrawRound !== 0n && info.withdrawRound <= lastInitializedRound + 1n;
}
