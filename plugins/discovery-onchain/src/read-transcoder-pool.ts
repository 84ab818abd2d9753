import { zeroAddress, type Address, type PublicClient } from 'viem';
import { bondingManagerAbi, roundsManagerAbi, serviceRegistryAbi } from './protocol-abis.js';
import type { DiscoveryContracts } from './resolve-contracts.js';

/** One member of the BondingManager's transcoder pool, with what discovery needs to know of it. */
export interface PoolMember {
  readonly address: Address;
  /** transcoderTotalStake, in wei. */
  readonly stake: bigint;
  readonly activationRound: bigint;
  readonly deactivationRound: bigint;
  /** As registered, unvalidated. */
  readonly serviceUri: string;
}

/**
 * go-livepeer's TranscoderPool(): walk the pool's linked list from
 * getFirstTranscoderInPool, then read each member's transcoder record, stake
 * and service URI. The list order is the contract's (stake, highest first).
 */
export async function readTranscoderPool(client: PublicClient, contracts: DiscoveryContracts): Promise<PoolMember[]> {
  const bonding = { address: contracts.bondingManager, abi: bondingManagerAbi } as const;
  const size = await client.readContract({ ...bonding, functionName: 'getTranscoderPoolSize' });
  const addresses: Address[] = [];
  const seen = new Set<string>();
  let current = await client.readContract({ ...bonding, functionName: 'getFirstTranscoderInPool' });
  // Bounded by the reported size and by repeats, so a corrupt list cannot loop forever.
  while (current !== zeroAddress && BigInt(addresses.length) < size && !seen.has(current.toLowerCase())) {
    seen.add(current.toLowerCase());
    addresses.push(current);
    current = await client.readContract({ ...bonding, functionName: 'getNextTranscoderInPool', args: [current] });
  }
  // The per-member reads are independent; issuing them together lets the batching transport send them in one round trip.
  return Promise.all(
    addresses.map(async (address): Promise<PoolMember> => {
      const [record, stake, serviceUri] = await Promise.all([
        client.readContract({ ...bonding, functionName: 'getTranscoder', args: [address] }),
        client.readContract({ ...bonding, functionName: 'transcoderTotalStake', args: [address] }),
        client.readContract({ address: contracts.serviceRegistry, abi: serviceRegistryAbi, functionName: 'getServiceURI', args: [address] }),
      ]);
      return { address, stake, activationRound: record[4], deactivationRound: record[5], serviceUri };
    }),
  );
}

/** The round go-livepeer's DB filter compares activation rounds with (its RoundsWatcher's LastInitializedRound). */
export function readLastInitializedRound(client: PublicClient, roundsManager: Address): Promise<bigint> {
  return client.readContract({ address: roundsManager, abi: roundsManagerAbi, functionName: 'lastInitializedRound' });
}
