import { parseEventLogs, type Address, type Hex, type Log } from 'viem';
import { chainErrors } from './chain-errors.js';
import type { ChainPublicClient, ChainWalletClient } from './connection.js';
import { ticketBrokerAbi } from './generated/abis.js';
import type { OnChainTicket } from './ticket.js';

export interface BrokerWriteContext {
  publicClient: ChainPublicClient;
  walletClient: ChainWalletClient;
  ticketBroker: Address;
}

export interface ConfirmedTx {
  hash: Hex;
  blockNumber: bigint;
  gasUsed: bigint;
  /** gasUsed × effectiveGasPrice, in wei. */
  fee: bigint;
  /** The receipt's logs, for callers that need an event the tx emitted. */
  logs: Log[];
}

/** Waits for the receipt and turns an on-chain revert into a coded error. */
export async function confirmTx(publicClient: ChainPublicClient, hash: Hex, what: string): Promise<ConfirmedTx> {
  // Automining dev nodes already have the receipt; asking first skips a
  // polling interval per transaction.
  const receipt =
    (await publicClient.getTransactionReceipt({ hash }).catch(() => undefined)) ??
    (await publicClient.waitForTransactionReceipt({ hash }));
  if (receipt.status !== 'success') {
    throw chainErrors.TX_REVERTED.create(`${what} transaction ${hash} reverted in block ${receipt.blockNumber}`, {
      details: { hash, blockNumber: receipt.blockNumber.toString() },
    });
  }
  return { hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, fee: receipt.gasUsed * receipt.effectiveGasPrice, logs: receipt.logs };
}

/**
 * What a redemption actually paid the recipient (the WinningTicketTransfer
 * amount): the face value, or less when the sender's deposit and reserve
 * share could not cover it; 0 when nothing was transferred.
 */
export function redemptionPayout(confirmed: ConfirmedTx, ticketBroker: Address): bigint {
  const transfers = parseEventLogs({ abi: ticketBrokerAbi, eventName: 'WinningTicketTransfer', logs: confirmed.logs }).filter(
    (log) => log.address.toLowerCase() === ticketBroker.toLowerCase(),
  );
  return transfers.reduce((sum, log) => sum + log.args.amount, 0n);
}

const base = (ctx: BrokerWriteContext) => ({ address: ctx.ticketBroker, abi: ticketBrokerAbi, account: ctx.walletClient.account, chain: ctx.walletClient.chain });

export async function fundDeposit(ctx: BrokerWriteContext, amount: bigint): Promise<ConfirmedTx> {
  const hash = await ctx.walletClient.writeContract({ ...base(ctx), functionName: 'fundDeposit', value: amount });
  return confirmTx(ctx.publicClient, hash, 'fundDeposit');
}

export async function fundReserve(ctx: BrokerWriteContext, amount: bigint): Promise<ConfirmedTx> {
  const hash = await ctx.walletClient.writeContract({ ...base(ctx), functionName: 'fundReserve', value: amount });
  return confirmTx(ctx.publicClient, hash, 'fundReserve');
}

export async function fundDepositAndReserve(ctx: BrokerWriteContext, deposit: bigint, reserve: bigint): Promise<ConfirmedTx> {
  const hash = await ctx.walletClient.writeContract({
    ...base(ctx),
    functionName: 'fundDepositAndReserve',
    args: [deposit, reserve],
    value: deposit + reserve,
  });
  return confirmTx(ctx.publicClient, hash, 'fundDepositAndReserve');
}

export async function unlock(ctx: BrokerWriteContext): Promise<ConfirmedTx> {
  const hash = await ctx.walletClient.writeContract({ ...base(ctx), functionName: 'unlock' });
  return confirmTx(ctx.publicClient, hash, 'unlock');
}

export async function cancelUnlock(ctx: BrokerWriteContext): Promise<ConfirmedTx> {
  const hash = await ctx.walletClient.writeContract({ ...base(ctx), functionName: 'cancelUnlock' });
  return confirmTx(ctx.publicClient, hash, 'cancelUnlock');
}

export async function withdraw(ctx: BrokerWriteContext): Promise<ConfirmedTx> {
  const hash = await ctx.walletClient.writeContract({ ...base(ctx), functionName: 'withdraw' });
  return confirmTx(ctx.publicClient, hash, 'withdraw');
}

/** Gas the redemption would use; throws (with the revert reason) if it would revert now. */
export function estimateRedeemGas(ctx: BrokerWriteContext, ticket: OnChainTicket, sig: Hex, recipientRand: bigint): Promise<bigint> {
  return ctx.publicClient.estimateContractGas({
    ...base(ctx),
    functionName: 'redeemWinningTicket',
    args: [ticket, sig, recipientRand],
  });
}

/** Sends the redemption and returns its hash without waiting, so callers can persist it first. */
export function sendRedeemWinningTicket(
  ctx: BrokerWriteContext,
  ticket: OnChainTicket,
  sig: Hex,
  recipientRand: bigint,
  gas?: bigint,
): Promise<Hex> {
  return ctx.walletClient.writeContract({
    ...base(ctx),
    functionName: 'redeemWinningTicket',
    args: [ticket, sig, recipientRand],
    ...(gas === undefined ? {} : { gas }),
  });
}
