import { getAddress, type Abi, type Address, type Hex } from 'viem';
import type { ChainPublicClient, ChainWalletClient } from './connection.js';
import { contractId } from './contract-names.js';
import {
  bondingManagerAbi,
  controllerAbi,
  roundsManagerAbi,
  serviceRegistryAbi,
  ticketBrokerAbi,
} from './generated/abis.js';
import {
  bondingManagerBytecode,
  controllerBytecode,
  roundsManagerBytecode,
  serviceRegistryBytecode,
  ticketBrokerBytecode,
} from './generated/bytecode.js';
import type { ProtocolAddresses } from './protocol-addresses.js';
import { confirmTx } from './ticket-broker-writes.js';

export interface DevProtocolParams {
  /** Blocks per round. Short, so tests can age tickets with anvil_mine. */
  roundLength: bigint;
  /** Rounds between unlock() and withdraw(). */
  unlockPeriod: bigint;
  /** Rounds a ticket stays redeemable after its creation round (network value: 2). */
  ticketValidityPeriod: bigint;
  maxActiveTranscoders: bigint;
}

export const DEFAULT_DEV_PROTOCOL_PARAMS: DevProtocolParams = {
  roundLength: 50n,
  unlockPeriod: 2n,
  ticketValidityPeriod: 2n,
  maxActiveTranscoders: 100n,
};

export interface Deployer {
  publicClient: ChainPublicClient;
  walletClient: ChainWalletClient;
}

async function deploy(ctx: Deployer, abi: Abi, bytecode: Hex, args: readonly unknown[], name: string): Promise<Address> {
  const hash = await ctx.walletClient.deployContract({ abi, bytecode, args, account: ctx.walletClient.account, chain: ctx.walletClient.chain });
  await confirmTx(ctx.publicClient, hash, `deploy ${name}`);
  const receipt = await ctx.publicClient.getTransactionReceipt({ hash });
  if (!receipt.contractAddress) throw new Error(`deploy ${name}: receipt has no contract address`);
  return getAddress(receipt.contractAddress);
}

/** Deploys Controller + protocol contracts, registers them by name hash and sets their parameters. */
export async function deployDevProtocol(ctx: Deployer, params: DevProtocolParams = DEFAULT_DEV_PROTOCOL_PARAMS): Promise<ProtocolAddresses> {
  const controller = await deploy(ctx, controllerAbi, controllerBytecode, [], 'Controller');
  const roundsManager = await deploy(ctx, roundsManagerAbi, roundsManagerBytecode, [controller, params.roundLength], 'RoundsManager');
  const bondingManager = await deploy(ctx, bondingManagerAbi, bondingManagerBytecode, [controller, params.maxActiveTranscoders], 'BondingManager');
  const ticketBroker = await deploy(ctx, ticketBrokerAbi, ticketBrokerBytecode, [controller], 'TicketBroker');
  const serviceRegistry = await deploy(ctx, serviceRegistryAbi, serviceRegistryBytecode, [controller], 'ServiceRegistry');

  const owner = { account: ctx.walletClient.account, chain: ctx.walletClient.chain };
  const registrations: Array<[string, Address]> = [
    ['RoundsManager', roundsManager],
    ['BondingManager', bondingManager],
    ['TicketBroker', ticketBroker],
    ['ServiceRegistry', serviceRegistry],
  ];
  for (const [name, address] of registrations) {
    const hash = await ctx.walletClient.writeContract({
      ...owner,
      address: controller,
      abi: controllerAbi,
      functionName: 'setContractInfo',
      args: [contractId(name), address, '0x0000000000000000000000000000000000000000'],
    });
    await confirmTx(ctx.publicClient, hash, `register ${name}`);
  }
  for (const [functionName, value] of [
    ['setUnlockPeriod', params.unlockPeriod],
    ['setTicketValidityPeriod', params.ticketValidityPeriod],
  ] as const) {
    const hash = await ctx.walletClient.writeContract({ ...owner, address: ticketBroker, abi: ticketBrokerAbi, functionName, args: [value] });
    await confirmTx(ctx.publicClient, hash, functionName);
  }
  return { controller, roundsManager, bondingManager, ticketBroker, serviceRegistry };
}

/** Puts an orchestrator in the dev active set with the given stake (Controller owner only). */
export async function setDevTranscoder(ctx: Deployer, bondingManager: Address, transcoder: Address, stake: bigint): Promise<void> {
  const hash = await ctx.walletClient.writeContract({
    address: bondingManager,
    abi: bondingManagerAbi,
    functionName: 'setTranscoder',
    args: [transcoder, stake],
    account: ctx.walletClient.account,
    chain: ctx.walletClient.chain,
  });
  await confirmTx(ctx.publicClient, hash, 'setTranscoder');
}
