/**
 * Keeps an idle dev chain moving the way a live network does: a block every
 * tick (ticket params expire, so winners become redeemable) and every new
 * round initialized (go-livepeer's round initializer; payments and redemption
 * refuse uninitialized rounds).
 */
import { initializeCurrentRound } from '../chain/dev-chain-control.js';
import type { EmbeddedChain } from '../chain/embedded-anvil.js';

export interface ChainKeeper {
  stop(): Promise<void>;
}

export function startChainKeeper(chain: EmbeddedChain, intervalMs = 200, onError?: (error: unknown) => void): ChainKeeper {
  const { publicClient, walletClient } = chain.connection;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async (): Promise<void> => {
    try {
      await chain.mine(1);
      await initializeCurrentRound({ rpcUrl: chain.rpcUrl, publicClient, walletClient: walletClient!, roundsManager: chain.addresses.roundsManager });
    } catch (error) {
      if (!stopped) onError?.(error);
    }
  };
  const timer = setInterval(() => {
    if (stopped || running !== undefined) return;
    running = tick().finally(() => {
      running = undefined;
    });
  }, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
