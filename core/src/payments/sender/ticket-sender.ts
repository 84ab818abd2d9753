/**
 * The gateway's side of the ticket protocol (go-livepeer's pm.Sender): one
 * session per set of params an orchestrator issued (keyed by recipientRandHash),
 * nonces counting up from 1, and signed batches that share the params.
 */
import type { RoundsSource, SenderInfoSource } from '../chain/sources.js';
import { toChecksumAddress } from '../encoding/address.js';
import { isAllZero, toHex } from '../encoding/bytes.js';
import { paymentErrors, refusal } from '../errors.js';
import { BatchTicketHasher } from '../crypto/ticket-hash.js';
import type { TicketSigner } from '../crypto/ticket-signer.js';
import { ticketEV } from '../math/ev.js';
import type { Rational } from '../math/rational.js';
import type { TicketExpirationParams, TicketParams, TicketSenderParams } from '../wire/types.js';
import { DEFAULT_SENDER_LIMITS, validateAgainstFunds, validateParamsShape, type SenderLimits } from './params-validation.js';

const MAX_NONCE = 0xffffffff;

export interface TicketBatch {
  readonly params: TicketParams;
  readonly expirationParams: TicketExpirationParams;
  readonly sender: Uint8Array;
  readonly senderParams: readonly TicketSenderParams[];
}

interface Session {
  readonly params: TicketParams;
  nonce: number;
}

export interface TicketSenderDeps {
  readonly signer: TicketSigner;
  readonly rounds: RoundsSource;
  readonly senderInfo: SenderInfoSource;
  readonly limits?: Partial<SenderLimits>;
  /** Told about every signed batch and every batch refused (metrics and the event stream); it only observes. */
  readonly observer?: TicketBatchObserver;
}

export interface TicketBatchObserver {
  sent(batch: { readonly recipient: Uint8Array; readonly sender: Uint8Array; readonly faceValue: bigint; readonly winProb: bigint }, count: number): void;
  failed(error: unknown): void;
}

export class TicketSender {
  private readonly sessions = new Map<string, Session>();
  private readonly limits: SenderLimits;

  constructor(private readonly deps: TicketSenderDeps) {
    this.limits = { ...DEFAULT_SENDER_LIMITS, ...deps.limits };
  }

  get address(): Uint8Array {
    return this.deps.signer.address;
  }

  /** Starts (or restarts) the session for these params; returns its id, the recipientRandHash as 0x-hex. */
  startSession(params: TicketParams, startNonce = 0): string {
    const id = toHex(params.recipientRandHash);
    this.sessions.set(id, { params, nonce: startNonce });
    return id;
  }

  cleanupSession(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  private session(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (session === undefined) throw paymentErrors.UNKNOWN_SESSION.create(`error loading session: ${sessionId}`);
    return session;
  }

  ev(sessionId: string): Rational {
    const { params } = this.session(sessionId);
    return ticketEV(params.faceValue, params.winProb);
  }

  /** The last nonce used (0 before the first ticket). */
  nonce(sessionId: string): number {
    return this.session(sessionId).nonce;
  }

  /** Whether this node would pay with these params at all (one ticket). */
  validateTicketParams(params: TicketParams | undefined): Promise<void> {
    return this.validate(params, 1);
  }

  private async validate(params: TicketParams | undefined, numTickets: number): Promise<void> {
    const ev = validateParamsShape(params, this.deps.rounds, this.limits);
    if (ev.sign() <= 0 || params === undefined) return;
    let info;
    try {
      info = await this.deps.senderInfo.getSenderInfo(this.address);
    } catch (cause) {
      throw refusal(paymentErrors.CHAIN_STATE_UNAVAILABLE, `could not get sender info for ${toChecksumAddress(this.address)}: ${(cause as Error).message}`, 'chain_state_unavailable', true);
    }
    validateAgainstFunds(params, ev, numTickets, info, this.deps.rounds.lastInitializedRound(), this.limits);
  }

  /**
   * The params' own expiration params, or, for orchestrators that send none
   * (or zeros), this node's view of the last initialized round.
   */
  private expirationParams(params: TicketParams): TicketExpirationParams {
    const own = params.expirationParams;
    if (own !== undefined && own.creationRound !== 0n && !isAllZero(own.creationRoundBlockHash)) return own;
    return { creationRound: this.deps.rounds.lastInitializedRound(), creationRoundBlockHash: this.deps.rounds.lastInitializedL1BlockHash() };
  }

  /** Validates the params for `size` tickets, then signs that many with consecutive nonces. */
  async createTicketBatch(sessionId: string, size: number): Promise<TicketBatch> {
    const observer = this.deps.observer;
    if (observer === undefined) return this.signBatch(sessionId, size);
    let batch: TicketBatch;
    try {
      batch = await this.signBatch(sessionId, size);
    } catch (error) {
      observer.failed(error);
      throw error;
    }
    observer.sent({ recipient: batch.params.recipient, sender: batch.sender, faceValue: batch.params.faceValue, winProb: batch.params.winProb }, size);
    return batch;
  }

  private async signBatch(sessionId: string, size: number): Promise<TicketBatch> {
    const session = this.session(sessionId);
    await this.validate(session.params, size);
    if (session.nonce + size > MAX_NONCE) {
      throw paymentErrors.NONCE_EXHAUSTED.create(`session ${sessionId} has no ${size} nonces left`);
    }
    // Reserve the nonces before any await so concurrent batches never share one.
    const first = session.nonce + 1;
    session.nonce += size;

    const expirationParams = this.expirationParams(session.params);
    const hasher = new BatchTicketHasher({
      recipient: session.params.recipient,
      sender: this.address,
      faceValue: session.params.faceValue,
      winProb: session.params.winProb,
      recipientRandHash: session.params.recipientRandHash,
      creationRound: expirationParams.creationRound,
      creationRoundBlockHash: expirationParams.creationRoundBlockHash,
    });
    const senderParams: TicketSenderParams[] = [];
    for (let nonce = first; nonce < first + size; nonce++) {
      senderParams.push({ senderNonce: nonce, sig: await this.deps.signer.signMessage(hasher.hash(nonce)) });
    }
    return { params: session.params, expirationParams, sender: this.address, senderParams };
  }
}
