import type { Hex } from 'viem';
import type { BlockNumberSource } from '../chain/block-number.js';
import type { ProtocolAddresses } from '../chain/protocol-addresses.js';
import { readRounds, type RoundsState } from '../chain/rounds.js';
import { claimableReserve, isTicketUsed, readSenderInfo, ticketValidityPeriod } from '../chain/ticket-broker-reads.js';
import { confirmTx, estimateRedeemGas, redemptionPayout, sendRedeemWinningTicket, type BrokerWriteContext, type ConfirmedTx } from '../chain/ticket-broker-writes.js';
import { classifyChainError } from '../chain/tx-errors.js';
import { PERMANENT_REVERTS, WAIT_REVERTS, type RedemptionOutcome } from './redemption-outcome.js';
import type { RedeemableOnChain } from './redemption-ticket.js';
import type { SettlementLedger } from './settlement-ledger.js';

export type { FailReason, RedemptionOutcome, RetryReason, WaitReason } from './redemption-outcome.js';

export interface TicketRedeemerDeps {
  broker: BrokerWriteContext;
  addresses: ProtocolAddresses;
  blockNumbers: BlockNumberSource;
  ledger: SettlementLedger;
  /** Headroom over the gas estimate (percent); redemption gas varies with reserve claims. */
  gasHeadroomPercent?: bigint;
}

/**
 * One redemption attempt: wait for the params to expire (only then is
 * revealing recipientRand safe), skip spent tickets, give up only on tickets
 * past their validity period, require the sender's deposit + our claimable
 * reserve share to cover the face value (else wait: the broker would pay
 * short), require the tx to cost less than the face value and the sender's
 * funds, then send and confirm. Any revert, before or after sending, is
 * followed by a usedTickets read, so a ticket spent meanwhile ends as
 * already-used, never as an error or a second payout.
 */
export class TicketRedeemer {
  private validityPeriod: bigint | undefined;

  constructor(private readonly deps: TicketRedeemerDeps) {}

  async attempt(t: RedeemableOnChain): Promise<RedemptionOutcome> {
    const { broker, addresses } = this.deps;
    const client = broker.publicClient;

    const l1Block = await this.deps.blockNumbers.latest();
    if (t.paramsExpirationBlock > l1Block) {
      return { status: 'wait', reason: 'params-not-expired', blocksLeft: t.paramsExpirationBlock - l1Block };
    }
    if (await isTicketUsed(client, addresses.ticketBroker, t.ticketHash)) return this.alreadyUsed(t);
    const rounds = await readRounds(client, addresses.roundsManager);
    this.validityPeriod ??= await ticketValidityPeriod(client, addresses.ticketBroker);
    if (t.creationRound + this.validityPeriod <= rounds.currentRound) return expired(t, rounds);
    if (!rounds.currentRoundInitialized) return { status: 'wait', reason: 'round-not-initialized' };

    const [info, claimable, gasPrice] = await Promise.all([
      readSenderInfo(client, addresses.ticketBroker, t.ticket.sender),
      claimableReserve(client, addresses.ticketBroker, t.ticket.sender, t.ticket.recipient),
      client.getGasPrice(),
    ]);
    if (info.withdrawRound !== 0n && info.withdrawRound <= rounds.currentRound) return { status: 'wait', reason: 'sender-unlocked' };
    const available = info.deposit + claimable;
    // In the ticket's last valid round a short payout beats none: the reserve
    // share cannot grow again before the ticket expires.
    const lastRound = t.creationRound + this.validityPeriod - 1n <= rounds.currentRound;
    if (available < t.ticket.faceValue && !lastRound) {
      return { status: 'wait', reason: 'sender-funds-below-face-value', detail: `deposit ${info.deposit} + claimable reserve ${claimable} < face value ${t.ticket.faceValue}` };
    }

    let gas: bigint;
    try {
      gas = await estimateRedeemGas(broker, t.ticket, t.sig, t.recipientRand);
    } catch (error) {
      return this.afterRevert(error, t, rounds);
    }
    const txCost = gas * gasPrice;
    if (t.ticket.faceValue <= txCost) return { status: 'wait', reason: 'face-value-below-tx-cost' };
    if (available <= txCost) return { status: 'wait', reason: 'sender-funds-below-tx-cost' };

    const gasLimit = (gas * (100n + (this.deps.gasHeadroomPercent ?? 20n))) / 100n;
    const txHash = await sendRedeemWinningTicket(broker, t.ticket, t.sig, t.recipientRand, gasLimit);
    await this.deps.ledger.recordSent(t.ticketHash, txHash);
    let confirmed: ConfirmedTx;
    try {
      confirmed = await confirmTx(client, txHash, 'redeemWinningTicket');
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'LPX_ERR_CHAIN_TX_REVERTED') throw error;
      // Mined but reverted: state changed between estimate and inclusion
      // (a round boundary, a competing redemption). Never final by itself.
      if (await isTicketUsed(client, addresses.ticketBroker, t.ticketHash)) return this.alreadyUsed(t);
      return { status: 'retry', reason: 'reverted-after-send', detail: (error as Error).message };
    }
    const payout = redemptionPayout(confirmed, addresses.ticketBroker);
    return { status: 'redeemed', txHash, blockNumber: confirmed.blockNumber, gasUsed: confirmed.gasUsed, fee: confirmed.fee, payout, partial: payout < t.ticket.faceValue };
  }

  private async alreadyUsed(t: RedeemableOnChain): Promise<RedemptionOutcome> {
    return { status: 'already-used', txHash: (await this.deps.ledger.sentTx(t.ticketHash)) as Hex | undefined };
  }

  private async afterRevert(error: unknown, t: RedeemableOnChain, rounds: RoundsState): Promise<RedemptionOutcome> {
    const failure = classifyChainError(error);
    if (failure.kind !== 'revert') throw error;
    const { publicClient } = this.deps.broker;
    if (await isTicketUsed(publicClient, this.deps.addresses.ticketBroker, t.ticketHash)) return this.alreadyUsed(t);
    if (failure.reason === 'ticket is expired') return expired(t, rounds);
    if (PERMANENT_REVERTS.has(failure.reason)) return { status: 'failed', reason: 'invalid-ticket', detail: failure.reason };
    const wait = WAIT_REVERTS[failure.reason];
    if (wait !== undefined) return { status: 'wait', reason: wait, detail: failure.reason };
    // 'ticket is used' with usedTickets false (a reorg, a lagging node) or a
    // reason we do not know: transient until the ticket expires.
    return { status: 'retry', reason: 'revert', detail: failure.reason };
  }
}

function expired(t: RedeemableOnChain, rounds: RoundsState): RedemptionOutcome {
  return { status: 'failed', reason: 'expired', detail: `ticket is expired (created in round ${t.creationRound}, now round ${rounds.currentRound})` };
}
