/**
 * The orchestrator's side of the ticket protocol: it issues ticket params to
 * senders and validates the tickets they send back. Its only state is the
 * recipientRand secret; everything else is recomputed from what the sender
 * echoes. The nonces seen live in the CreditStore, recorded together with the
 * credit (ADR 0106). A node on a chain keeps the secret in Redis beside them
 * (ADR 0107), so params stay valid across a restart and every instance of the
 * recipient accepts them; without a secret it is random per process.
 */
import { randomBytes } from 'node:crypto';
import type { GasPriceSource, RoundsSource } from '../chain/sources.js';
import type { Address } from '../encoding/address.js';
import { bytesToBigInt, isAllZero } from '../encoding/bytes.js';
import { auxData } from '../crypto/ticket-hash.js';
import { deriveRecipientRand, recipientRandHash } from '../crypto/recipient-rand.js';
import { SignatureVerifier } from '../crypto/signature.js';
import { isLpxError } from '@lpx/sdk';
import { winProbForFaceValue } from '../math/ev.js';
import { DEFAULT_TICKET_EV, faceValueFor, txCost, txCostMultiplierFor, type TicketEconomics } from '../math/face-value.js';
import { Rational } from '../math/rational.js';
import type { TicketExpirationParams, TicketParams } from '../wire/types.js';
import { noRefusalCounter, type RefusalCounter } from './refusal-counter.js';
import type { SenderMonitor } from './sender-monitor.js';
import { receiveTicketBatch, type BatchOutcome, type CommitNonces, type TicketBatchInput } from './ticket-batch-receiver.js';

/** Params expire this many L1 blocks after they are issued. */
export const PARAMS_EXPIRATION_BLOCKS = 40n;

export const DEFAULT_TICKET_ECONOMICS: TicketEconomics = {
  ev: DEFAULT_TICKET_EV,
  redeemGas: 1_200_000n,
  txCostMultiplier: 100n,
  maxFaceValue: 0n,
};

/** Ticket params as issued: the wire fields plus the price they are bound to. */
export interface IssuedTicketParams extends TicketParams {
  readonly expirationParams: TicketExpirationParams;
  readonly price: Rational;
}

export interface RecipientConfig {
  /** The ticket recipient (the orchestrator's on-chain address, which may differ from the node key). */
  readonly address: Address;
  readonly economics?: Partial<TicketEconomics>;
  /** 32 bytes; random per process when omitted (then params die with the process). */
  readonly secret?: Uint8Array;
}

export interface RecipientDeps {
  readonly rounds: RoundsSource;
  readonly gasPrice: GasPriceSource;
  readonly senderMonitor: SenderMonitor;
  readonly verifier?: SignatureVerifier;
  readonly refusals?: RefusalCounter;
  /** Seed source; tests pin it. */
  readonly randomBytes?: (size: number) => Uint8Array;
}

export class Recipient {
  readonly address: Address;
  readonly economics: TicketEconomics;
  private readonly secret: Uint8Array;
  private readonly verifier: SignatureVerifier;
  private readonly refusals: RefusalCounter;
  private readonly random: (size: number) => Uint8Array;

  constructor(
    config: RecipientConfig,
    private readonly deps: RecipientDeps,
  ) {
    this.address = config.address;
    this.economics = { ...DEFAULT_TICKET_ECONOMICS, ...config.economics };
    this.secret = config.secret ?? randomBytes(32);
    if (this.secret.length !== 32) throw new RangeError('the recipient secret is 32 bytes');
    this.verifier = deps.verifier ?? new SignatureVerifier();
    this.refusals = deps.refusals ?? noRefusalCounter;
    this.random = deps.randomBytes ?? ((size) => randomBytes(size));
  }

  /** The EV a session balance must hold before paid work starts. */
  get ev(): Rational {
    return Rational.of(this.economics.ev);
  }

  /**
   * The round the params are bound to: the last initialized one, or the one
   * before when its block hash reads as zero (an Arbitrum quirk, ADR 0102).
   */
  expirationParams(): TicketExpirationParams {
    const round = this.deps.rounds.lastInitializedRound();
    const hash = this.deps.rounds.lastInitializedL1BlockHash();
    if (isAllZero(hash)) return { creationRound: round - 1n, creationRoundBlockHash: this.deps.rounds.preLastInitializedL1BlockHash() };
    return { creationRound: round, creationRoundBlockHash: hash };
  }

  private async faceValue(sender: Address): Promise<bigint> {
    const maxFloat = await this.deps.senderMonitor.maxFloat(sender);
    try {
      return faceValueFor(this.economics, this.deps.gasPrice.gasPrice(), maxFloat);
    } catch (error) {
      if (isLpxError(error)) this.refusals.inc({ reason: 'insufficient_reserve' });
      throw error;
    }
  }

  /** Fresh params for `sender` at `price` (go-livepeer's Recipient.TicketParams). */
  async ticketParams(sender: Address, price: Rational): Promise<IssuedTicketParams> {
    const seed = bytesToBigInt(this.random(32));
    const faceValue = price.num > 0n ? await this.faceValue(sender) : 0n;
    const winProb = winProbForFaceValue(faceValue, this.economics.ev);
    const expirationBlock = this.deps.rounds.lastSeenL1Block() + PARAMS_EXPIRATION_BLOCKS;
    const expirationParams = this.expirationParams();
    const rand = deriveRecipientRand(this.secret, {
      seed,
      sender,
      faceValue,
      winProb,
      expirationBlock,
      price,
      auxData: auxData(expirationParams.creationRound, expirationParams.creationRoundBlockHash),
    });
    return {
      recipient: this.address,
      faceValue,
      winProb,
      recipientRandHash: recipientRandHash(rand),
      seed,
      expirationBlock,
      expirationParams,
      price,
    };
  }

  /** faceValue / txCost for the sender, the divisor in price auto-adjust. */
  async txCostMultiplier(sender: Address): Promise<Rational> {
    const faceValue = await this.faceValue(sender);
    return txCostMultiplierFor(faceValue, txCost(this.economics.redeemGas, this.deps.gasPrice.gasPrice()));
  }

  /** Validates one payment's tickets; `commit` records nonces and credits (see receiveTicketBatch). */
  receiveBatch(batch: TicketBatchInput, commit: CommitNonces): Promise<BatchOutcome> {
    return receiveTicketBatch(batch, {
      recipient: this.address,
      secret: this.secret,
      commit,
      verifier: this.verifier,
      rounds: this.deps.rounds,
      senderMonitor: this.deps.senderMonitor,
    });
  }
}
