import { createTestClient, http, type Address } from 'viem';
import type { ChainPublicClient, ChainWalletClient } from './connection.js';
import { roundsManagerAbi } from './generated/abis.js';
import { confirmTx } from './ticket-broker-writes.js';

/** Mines `blocks` empty blocks at once (anvil_mine), e.g. to let ticket params expire. */
export async function mineBlocks(rpcUrl: string, blocks: number | bigint): Promise<void> {
  if (BigInt(blocks) <= 0n) return;
  const testClient = createTestClient({ mode: 'anvil', transport: http(rpcUrl, { retryCount: 0 }) });
  await testClient.mine({ blocks: Number(blocks) });
}

export interface RoundControl {
  rpcUrl: string;
  publicClient: ChainPublicClient;
  /** Anyone may initialize a round; the dev chain uses its deployer. */
  walletClient: ChainWalletClient;
  roundsManager: Address;
}

/** Initializes the current round if nobody has yet; returns the current round. */
export async function initializeCurrentRound(ctx: RoundControl): Promise<bigint> {
  const read = { address: ctx.roundsManager, abi: roundsManagerAbi } as const;
  const initialized = await ctx.publicClient.readContract({ ...read, functionName: 'currentRoundInitialized' });
  if (!initialized) {
    const hash = await ctx.walletClient.writeContract({
      ...read,
      functionName: 'initializeRound',
      account: ctx.walletClient.account,
      chain: ctx.walletClient.chain,
    });
    await confirmTx(ctx.publicClient, hash, 'initializeRound');
  }
  return ctx.publicClient.readContract({ ...read, functionName: 'currentRound' });
}

/**
 * Mines up to the first block of the next round (or `rounds` rounds ahead)
 * and initializes it, so tickets created in earlier rounds age by that much.
 */
export async function advanceRounds(ctx: RoundControl, rounds = 1): Promise<bigint> {
  const read = { address: ctx.roundsManager, abi: roundsManagerAbi } as const;
  const [startBlock, roundLength, blockNumber] = await Promise.all([
    ctx.publicClient.readContract({ ...read, functionName: 'currentRoundStartBlock' }),
    ctx.publicClient.readContract({ ...read, functionName: 'roundLength' }),
    ctx.publicClient.getBlockNumber({ cacheTime: 0 }),
  ]);
  const target = startBlock + roundLength * BigInt(rounds);
  await mineBlocks(ctx.rpcUrl, target - blockNumber);
  return initializeCurrentRound(ctx);
}
