import { zeroAddress, type Address } from 'viem';
import type { ChainPublicClient } from './connection.js';
import { bondingManagerAbi } from './generated/abis.js';

export interface ActiveTranscoder {
  address: Address;
  totalStake: bigint;
}

export function transcoderPoolSize(client: ChainPublicClient, bondingManager: Address): Promise<bigint> {
  return client.readContract({ address: bondingManager, abi: bondingManagerAbi, functionName: 'getTranscoderPoolSize' });
}

export function isActiveTranscoder(client: ChainPublicClient, bondingManager: Address, transcoder: Address): Promise<boolean> {
  return client.readContract({ address: bondingManager, abi: bondingManagerAbi, functionName: 'isActiveTranscoder', args: [transcoder] });
}

export function transcoderTotalStake(client: ChainPublicClient, bondingManager: Address, transcoder: Address): Promise<bigint> {
  return client.readContract({ address: bondingManager, abi: bondingManagerAbi, functionName: 'transcoderTotalStake', args: [transcoder] });
}

/** Walks the pool linked list (highest stake first), as on-chain discovery does. */
export async function readActiveSet(client: ChainPublicClient, bondingManager: Address): Promise<ActiveTranscoder[]> {
  const size = await transcoderPoolSize(client, bondingManager);
  const out: ActiveTranscoder[] = [];
  let current = await client.readContract({ address: bondingManager, abi: bondingManagerAbi, functionName: 'getFirstTranscoderInPool' });
  // Bounded by the reported size so a corrupt list cannot loop forever.
  while (current !== zeroAddress && BigInt(out.length) < size) {
    out.push({ address: current, totalStake: await transcoderTotalStake(client, bondingManager, current) });
    current = await client.readContract({
      address: bondingManager,
      abi: bondingManagerAbi,
      functionName: 'getNextTranscoderInPool',
      args: [current],
    });
  }
  return out;
}
