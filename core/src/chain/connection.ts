import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Address,
  type Chain,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { chainErrors } from './chain-errors.js';

export type ChainPublicClient = PublicClient<Transport, Chain>;
export type ChainWalletClient = WalletClient<Transport, Chain, Account>;

/** What every chain call needs to know: where the node is and where the Controller is. */
export interface ChainTarget {
  rpcUrl: string;
  controller: Address;
}

export interface ChainConnection {
  chainId: number;
  publicClient: ChainPublicClient;
  /** Present only when an account was given. */
  walletClient: ChainWalletClient | undefined;
}

export interface ConnectOptions {
  rpcUrl: string;
  account?: Account;
  /** Receipt polling interval; local nodes mine instantly so polling fast is cheap. */
  pollingIntervalMs?: number;
}

function isLoopback(rpcUrl: string): boolean {
  const host = new URL(rpcUrl).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/**
 * Builds viem clients for an RPC URL. Local dev nodes get no transport
 * retries: viem's default retries turn every unsupported method (e.g.
 * eth_fillTransaction) into a second of backoff.
 */
export async function connectChain(options: ConnectOptions): Promise<ChainConnection> {
  const local = isLoopback(options.rpcUrl);
  const transport = http(options.rpcUrl, local ? { retryCount: 0 } : {});
  const pollingInterval = options.pollingIntervalMs ?? (local ? 50 : 1000);
  const probe = createPublicClient({ transport });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (cause) {
    throw chainErrors.RPC_UNREACHABLE.create(`JSON-RPC at ${options.rpcUrl} did not answer eth_chainId`, { cause });
  }
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [options.rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval });
  const walletClient =
    options.account === undefined ? undefined : createWalletClient({ chain, transport, account: options.account, pollingInterval });
  return { chainId, publicClient, walletClient };
}
