import type { Address, LocalAccount } from 'viem';
import { transcoderPoolSize } from './bonding.js';
import { chainErrors } from './chain-errors.js';
import { connectChain, type ChainTarget } from './connection.js';
import { resolveProtocolAddresses, type ProtocolAddresses } from './protocol-addresses.js';
import { readRounds } from './rounds.js';
import { readSenderInfo, type SenderInfo } from './ticket-broker-reads.js';
import * as writes from './ticket-broker-writes.js';
import { classifyChainError } from './tx-errors.js';
import type { BrokerWriteContext, ConfirmedTx } from './ticket-broker-writes.js';

// What `lpx broker …` runs. Each call connects, resolves the TicketBroker
// through the Controller and returns plain data (bigints in wei) for the CLI
// to print; nothing here reads argv or writes to stdout.

export interface BrokerStatusInput extends ChainTarget {
  /** Whose funds to show; defaults to the account's address. */
  address?: Address;
  account?: LocalAccount;
}

export interface BrokerStatus {
  sender: Address;
  ticketBroker: Address;
  info: SenderInfo;
  currentRound: bigint;
  /** Set when an unlock is in progress: rounds until withdraw() is allowed (0 = now). */
  roundsUntilWithdraw: bigint | undefined;
  transcoderPoolSize: bigint;
}

export async function brokerStatus(input: BrokerStatusInput): Promise<BrokerStatus> {
  const sender = input.address ?? input.account?.address;
  if (sender === undefined) throw new TypeError('brokerStatus needs an address or an account');
  const { publicClient } = await connectChain({ rpcUrl: input.rpcUrl });
  const addresses = await resolveProtocolAddresses(publicClient, input.controller);
  const [info, rounds, poolSize] = await Promise.all([
    readSenderInfo(publicClient, addresses.ticketBroker, sender),
    readRounds(publicClient, addresses.roundsManager),
    transcoderPoolSize(publicClient, addresses.bondingManager),
  ]);
  const roundsUntilWithdraw =
    info.withdrawRound === 0n ? undefined : info.withdrawRound > rounds.currentRound ? info.withdrawRound - rounds.currentRound : 0n;
  return { sender, ticketBroker: addresses.ticketBroker, info, currentRound: rounds.currentRound, roundsUntilWithdraw, transcoderPoolSize: poolSize };
}

export interface BrokerWriteInput extends ChainTarget {
  account: LocalAccount;
}

export interface BrokerTxResult {
  tx: ConfirmedTx;
  /** Sender funds after the transaction. */
  info: SenderInfo;
}

async function withBroker(input: BrokerWriteInput, run: (ctx: BrokerWriteContext) => Promise<ConfirmedTx>): Promise<BrokerTxResult> {
  const { publicClient, walletClient } = await connectChain({ rpcUrl: input.rpcUrl, account: input.account });
  const addresses: ProtocolAddresses = await resolveProtocolAddresses(publicClient, input.controller);
  const ctx: BrokerWriteContext = { publicClient, walletClient: walletClient!, ticketBroker: addresses.ticketBroker };
  let tx: ConfirmedTx;
  try {
    tx = await run(ctx);
  } catch (error) {
    // Surface the contract's own words ("unlock already initiated", …) under a stable code.
    const failure = classifyChainError(error);
    if (failure.kind !== 'revert') throw error;
    throw chainErrors.TX_REVERTED.create(`TicketBroker refused: ${failure.reason}`, { cause: error, details: { reason: failure.reason } });
  }
  return { tx, info: await readSenderInfo(publicClient, addresses.ticketBroker, input.account.address) };
}

/** fundDepositAndReserve(deposit, reserve) in one transaction. */
export function brokerFund(input: BrokerWriteInput & { deposit: bigint; reserve: bigint }): Promise<BrokerTxResult> {
  return withBroker(input, (ctx) => writes.fundDepositAndReserve(ctx, input.deposit, input.reserve));
}

export function brokerDeposit(input: BrokerWriteInput & { amount: bigint }): Promise<BrokerTxResult> {
  return withBroker(input, (ctx) => writes.fundDeposit(ctx, input.amount));
}

export function brokerReserve(input: BrokerWriteInput & { amount: bigint }): Promise<BrokerTxResult> {
  return withBroker(input, (ctx) => writes.fundReserve(ctx, input.amount));
}

export function brokerUnlock(input: BrokerWriteInput): Promise<BrokerTxResult> {
  return withBroker(input, writes.unlock);
}

export function brokerCancelUnlock(input: BrokerWriteInput): Promise<BrokerTxResult> {
  return withBroker(input, writes.cancelUnlock);
}

export function brokerWithdraw(input: BrokerWriteInput): Promise<BrokerTxResult> {
  return withBroker(input, writes.withdraw);
}
