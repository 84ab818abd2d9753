/**
 * What `lpx status` reports about one node, from its config: the key's
 * address, the chain's round, the TicketBroker deposit and reserve of that
 * address (what a gateway pays tickets from), whether it is a registered
 * orchestrator, and — when the node is running — its /healthz and /readyz.
 */
import type { Address } from 'viem';
import { brokerStatus } from '../chain/broker-commands.js';
import { isActiveTranscoder, transcoderTotalStake } from '../chain/bonding.js';
import { connectChain } from '../chain/connection.js';
import { serviceRegistryAbi } from '../chain/generated/abis.js';
import { resolveProtocolAddresses } from '../chain/protocol-addresses.js';
import { readRounds } from '../chain/rounds.js';
import type { NodeChainTarget } from './node-chain-target.js';

export interface NodeHealth {
  readonly url: string;
  /** False when nothing answers on the node's HTTP port. */
  readonly running: boolean;
  readonly healthz?: { readonly status: number; readonly body: unknown };
  readonly readyz?: { readonly status: number; readonly body: unknown };
  readonly error?: string;
}

export interface NodeStatus {
  readonly config: string | undefined;
  readonly roles: readonly string[];
  readonly address: Address | undefined;
  readonly chain?: {
    readonly rpcUrl: string;
    readonly controller: Address;
    readonly chainId: number;
    readonly blockNumber: bigint;
    readonly currentRound: bigint;
    readonly currentRoundInitialized: boolean;
    readonly deposit: bigint;
    readonly reserve: bigint;
    readonly withdrawRound: bigint;
    readonly orchestrator: { readonly active: boolean; readonly totalStake: bigint; readonly serviceUri: string | undefined };
  };
  readonly health: NodeHealth;
}

export async function nodeStatus(target: NodeChainTarget, env: NodeJS.ProcessEnv = process.env, fetchTimeoutMs = 2_000): Promise<NodeStatus> {
  const { config } = target.loaded;
  // An offchain node without a key signs with a throwaway one: no address worth showing.
  const hasKey = target.chain !== undefined || Boolean(env['LPX_ETH_KEY']) || Boolean(env['LPX_ETH_KEYSTORE']);
  const address = hasKey ? (await target.account()).address : undefined;
  const health = await nodeHealth(`http://${loopbackFor(config.http.host)}:${config.http.port}`, fetchTimeoutMs);
  const base = { config: target.loaded.file, roles: config.node.roles, address, health };
  if (target.chain === undefined || address === undefined) return base;
  return { ...base, chain: await chainStatus(target.chain.rpcUrl, target.chain.controller, address) };
}

async function chainStatus(rpcUrl: string, controller: Address, address: Address): Promise<NonNullable<NodeStatus['chain']>> {
  const { publicClient } = await connectChain({ rpcUrl });
  const addresses = await resolveProtocolAddresses(publicClient, controller);
  const [broker, rounds, blockNumber, chainId, active, totalStake, serviceUri] = await Promise.all([
    brokerStatus({ rpcUrl, controller, address }),
    readRounds(publicClient, addresses.roundsManager),
    publicClient.getBlockNumber(),
    publicClient.getChainId(),
    isActiveTranscoder(publicClient, addresses.bondingManager, address),
    transcoderTotalStake(publicClient, addresses.bondingManager, address),
    publicClient.readContract({ address: addresses.serviceRegistry, abi: serviceRegistryAbi, functionName: 'getServiceURI', args: [address] }),
  ]);
  return {
    rpcUrl,
    controller,
    chainId,
    blockNumber,
    currentRound: broker.currentRound,
    currentRoundInitialized: rounds.currentRoundInitialized,
    deposit: broker.info.deposit,
    reserve: broker.info.reserve.fundsRemaining,
    withdrawRound: broker.info.withdrawRound,
    orchestrator: { active, totalStake, serviceUri: serviceUri === '' ? undefined : serviceUri },
  };
}

/** A node bound to every interface is asked on loopback. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function nodeHealth(url: string, timeoutMs: number): Promise<NodeHealth> {
  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  };
  try {
    const healthz = await get('/healthz');
    const readyz = await get('/readyz');
    return { url, running: true, healthz, readyz };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { url, running: false, error: cause?.code ?? (error as Error).message };
  }
}
