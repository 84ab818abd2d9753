import type { ChainTarget } from '../chain/connection.js';
import { blockNumberSourceFor } from '../chain/block-number.js';
import { connectChain, type ChainPublicClient } from '../chain/connection.js';
import { resolveProtocolAddresses, type ProtocolAddresses } from '../chain/protocol-addresses.js';
import { ChainActiveSetSource, ChainGasPriceSource, ChainRoundsSource, ChainSenderInfoSource } from './chain-sources.js';

export interface ChainPaymentSourcesOptions extends ChainTarget {
  /** How often to poll for a new block; default DEFAULT_BLOCK_POLL_MS (LOOPBACK_BLOCK_POLL_MS on loopback). */
  pollIntervalMs?: number;
  /** Sender info cache TTL; default 5 s. */
  senderInfoTtlMs?: number;
  /** Called when a background refresh fails (the cache keeps its last values). */
  onError?: (error: unknown) => void;
}

export interface ChainPaymentSources {
  rounds: ChainRoundsSource;
  senderInfo: ChainSenderInfoSource;
  gasPrice: ChainGasPriceSource;
  activeSet: ChainActiveSetSource;
  addresses: ProtocolAddresses;
  publicClient: ChainPublicClient;
  /** Re-reads rounds (forced) and gas price now, without waiting for the poller. */
  refresh(): Promise<void>;
  /** Stops the block poller. */
  close(): Promise<void>;
}

/** go-livepeer's `-blockPollingInterval` default (5 s): one eth_blockNumber per interval, whatever the chain's block time. */
export const DEFAULT_BLOCK_POLL_MS = 5_000;
/**
 * A local node answers in microseconds and dev chains mine every few hundred ms:
 * 1 s, like go-livepeer's devtool (`-blockPollingInterval 1`), keeps ticket
 * params (40 blocks) far from expiring before a node has seen their block.
 */
export const LOOPBACK_BLOCK_POLL_MS = 1_000;

function isLoopback(rpcUrl: string): boolean {
  const host = new URL(rpcUrl).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/** The block poll interval a node on `rpcUrl` uses when its config sets none. */
export function defaultBlockPollMs(rpcUrl: string): number {
  return isLoopback(rpcUrl) ? LOOPBACK_BLOCK_POLL_MS : DEFAULT_BLOCK_POLL_MS;
}

/**
 * Connects, resolves the protocol contracts through the Controller, primes the
 * caches and starts the block poller: per interval one eth_blockNumber; on a
 * new block one lastInitializedRound check and eth_gasPrice (go-livepeer's gas
 * price monitor polls at the same interval); on a new round its state (ADR 0060).
 */
export async function createChainPaymentSources(options: ChainPaymentSourcesOptions): Promise<ChainPaymentSources> {
  const { publicClient, chainId } = await connectChain({ rpcUrl: options.rpcUrl });
  const addresses = await resolveProtocolAddresses(publicClient, options.controller);
  const blocks = blockNumberSourceFor(publicClient, chainId);
  const [rounds, gasPrice] = await Promise.all([ChainRoundsSource.create(publicClient, addresses, blocks), ChainGasPriceSource.create(publicClient)]);
  const senderInfo = new ChainSenderInfoSource(publicClient, addresses.ticketBroker, options.senderInfoTtlMs === undefined ? {} : { ttlMs: options.senderInfoTtlMs });
  const activeSet = new ChainActiveSetSource(publicClient, addresses.bondingManager);

  const interval = options.pollIntervalMs ?? defaultBlockPollMs(options.rpcUrl);
  let closed = false;
  let running: Promise<void> | undefined;
  const tick = async (): Promise<void> => {
    try {
      if (await rounds.refresh()) await gasPrice.refresh();
    } catch (error) {
      options.onError?.(error);
    }
  };
  const timer = setInterval(() => {
    if (closed || running !== undefined) return;
    running = tick().finally(() => {
      running = undefined;
    });
  }, interval);
  timer.unref();

  return {
    rounds,
    senderInfo,
    gasPrice,
    activeSet,
    addresses,
    publicClient,
    async refresh() {
      await Promise.all([rounds.refresh(true), gasPrice.refresh()]);
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
