import type { Hex } from 'viem';
import type { BlockNumberSource } from '../chain/block-number.js';
import type { ProtocolAddresses } from '../chain/protocol-addresses.js';
import { readRounds } from '../chain/rounds.js';
import { claimableReserve, isTicketUsed, readSenderInfo, ticketValidityPeriod } from '../chain/ticket-broker-reads.js';
import { confirmTx, estimateRedeemGas, sendRedeemWinningTicket, type BrokerWriteContext } from '../chain/ticket-broker-writes.js';
import { classifyChainError } from '../chain/tx-errors.js';
import type { RedeemableOnChain } from './redemption-ticket.js';
import type { SettlementLedger } from './settlement-ledger.js';

/** What one redemption attempt concluded. Thrown errors mean "transient, retry". */
export type RedemptionOutcome =
  | { status: 'redeemed'; txHash: Hex; blockNumber: bigint; gasUsed: bigint }
  /** usedTickets says it is spent; `txHash` is set when the spending tx was ours. */
  | { status: 'already-used'; txHash: Hex | undefined }
  /** Not now: try again later (params not expired, round not initialized, gas too dear). */
  | { status: 'wait'; reason: WaitReason; blocksLeft?: bigint }
  /** Never redeemable; recorded as failed. */
  | { status: 'failed'; reason: string };

export type WaitReason =
  | 'params-not-expired'
  | 'round-not-initialized'
  | 'face-value-below-tx-cost'
  | 'sender-funds-below-tx-cost';

export interface TicketRedeemerDeps {
  broker: BrokerWriteContext;
  addresses: ProtocolAddresses;
  blockNumbers: BlockNumberSource;
  ledger: SettlementLedger;
  /** Headroom over the gas estimate (percent); redemption gas varies with reserve claims. */
  gasHeadroomPercent?: bigint;
}

// Reverts that only mean "not yet", per the contract's wording.
const WAIT_REVERTS: Record<string, WaitReason> = { 'current round is not initialized': 'round-not-initialized' };

/**
 * One redemption attempt, in go-livepeer's order: wait for the params to
 * expire (only then is revealing recipientRand safe), skip spent tickets,
 * give up on tickets past their validity period, require the redeem tx to
 * cost less than both the face value and the sender's reachable funds
 * (deposit + our claimable reserve share), then send and confirm.
 */
export class TicketRedeemer {
  private validityPeriod: bigint | undefined;

  constructor(private readonly deps: TicketRedeemerDeps) {}

  async attempt(t: RedeemableOnChain): Promise<RedemptionOutcome> {
    const { broker, addresses, ledger } = this.deps;
    const client = broker.publicClient;

    const l1Block = await this.deps.blockNumbers.latest();
    if (t.paramsExpirationBlock > l1Block) {
      return { status: 'wait', reason: 'params-not-expired', blocksLeft: t.paramsExpirationBlock - l1Block };
    }
    if (await isTicketUsed(client, addresses.ticketBroker, t.ticketHash)) {
      return { status: 'already-used', txHash: (await ledger.sentTx(t.ticketHash)) as Hex | undefined };
    }
    const rounds = await readRounds(client, addresses.roundsManager);
    this.validityPeriod ??= await ticketValidityPeriod(client, addresses.ticketBroker);
    if (t.creationRound + this.validityPeriod <= rounds.currentRound) {
      return { status: 'failed', reason: `ticket is expired (created in round ${t.creationRound}, now round ${rounds.currentRound})` };
    }
    if (!rounds.currentRoundInitialized) return { status: 'wait', reason: 'round-not-initialized' };

    const [info, claimable, gasPrice] = await Promise.all([
      readSenderInfo(client, addresses.ticketBroker, t.ticket.sender),
      claimableReserve(client, addresses.ticketBroker, t.ticket.sender, t.ticket.recipient),
      client.getGasPrice(),
    ]);
    let gas: bigint;
    try {
      gas = await estimateRedeemGas(broker, t.ticket, t.sig, t.recipientRand);
    } catch (error) {
      return this.fromEstimateError(error, t);
    }
    const txCost = gas * gasPrice;
    if (t.ticket.faceValue <= txCost) return { status: 'wait', reason: 'face-value-below-tx-cost' };
    if (info.deposit + claimable <= txCost) return { status: 'wait', reason: 'sender-funds-below-tx-cost' };

    const gasLimit = (gas * (100n + (this.deps.gasHeadroomPercent ?? 20n))) / 100n;
    const txHash = await sendRedeemWinningTicket(broker, t.ticket, t.sig, t.recipientRand, gasLimit);
    await ledger.recordSent(t.ticketHash, txHash);
    try {
      const confirmed = await confirmTx(client, txHash, 'redeemWinningTicket');
      return { status: 'redeemed', txHash, blockNumber: confirmed.blockNumber, gasUsed: confirmed.gasUsed };
    } catch (error) {
      // Mined but reverted: something changed between estimate and inclusion.
      if (error instanceof Error && /reverted/.test(error.message)) return { status: 'failed', reason: error.message };
      throw error;
    }
  }

  private async fromEstimateError(error: unknown, t: RedeemableOnChain): Promise<RedemptionOutcome> {
    const failure = classifyChainError(error);
    if (failure.kind !== 'revert') throw error;
    if (failure.reason === 'ticket is used') {
      return { status: 'already-used', txHash: (await this.deps.ledger.sentTx(t.ticketHash)) as Hex | undefined };
    }
    const wait = WAIT_REVERTS[failure.reason];
    return wait === undefined ? { status: 'failed', reason: failure.reason } : { status: 'wait', reason: wait };
  }
}
