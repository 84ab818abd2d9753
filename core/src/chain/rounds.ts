import { zeroHash, type Address, type Hex } from 'viem';
import type { ChainPublicClient } from './connection.js';
import { roundsManagerAbi } from './generated/abis.js';

export interface RoundsState {
  currentRound: bigint;
  currentRoundInitialized: boolean;
  currentRoundStartBlock: bigint;
  lastInitializedRound: bigint;
  roundLength: bigint;
}

export async function readRounds(client: ChainPublicClient, roundsManager: Address): Promise<RoundsState> {
  const read = <F extends 'currentRound' | 'currentRoundInitialized' | 'currentRoundStartBlock' | 'lastInitializedRound' | 'roundLength'>(
    functionName: F,
  ) => client.readContract({ address: roundsManager, abi: roundsManagerAbi, functionName });
  const [currentRound, currentRoundInitialized, currentRoundStartBlock, lastInitializedRound, roundLength] = await Promise.all([
    read('currentRound'),
    read('currentRoundInitialized'),
    read('currentRoundStartBlock'),
    read('lastInitializedRound'),
    read('roundLength'),
  ]);
  return { currentRound, currentRoundInitialized, currentRoundStartBlock, lastInitializedRound, roundLength };
}

export function blockHashForRound(client: ChainPublicClient, roundsManager: Address, round: bigint): Promise<Hex> {
  return client.readContract({ address: roundsManager, abi: roundsManagerAbi, functionName: 'blockHashForRound', args: [round] });
}

/** The (round, block hash) pair new tickets commit to in their auxData. */
export interface CreationRound {
  round: bigint;
  blockHash: Hex;
}

/**
 * The last initialized round and its block hash. On Arbitrum the hash of a
 * just-initialized round can still read as zero; like go-livepeer we then
 * fall back to the previous round so tickets stay redeemable.
 */
export async function currentCreationRound(client: ChainPublicClient, roundsManager: Address): Promise<CreationRound> {
  const round = await client.readContract({ address: roundsManager, abi: roundsManagerAbi, functionName: 'lastInitializedRound' });
  const blockHash = await blockHashForRound(client, roundsManager, round);
  if (blockHash !== zeroHash || round === 0n) return { round, blockHash };
  return { round: round - 1n, blockHash: await blockHashForRound(client, roundsManager, round - 1n) };
}
