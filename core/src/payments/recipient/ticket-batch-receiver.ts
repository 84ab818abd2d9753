/**
 * Validation of the tickets of one payment, in go-livepeer's order and with its
 * fatal / non-fatal split:
 *
 *  fatal (throws, nothing of the payment is credited): sender unlocking soon,
 *  wrong recipient, zero sender, recipientRand not matching its hash;
 *  non-fatal (reported per ticket): bad signature, replayed nonce, too many
 *  nonces, expired params. From the first non-fatal error on no ticket of the
 *  payment is credited, but later tickets are still checked for wins.
 *
 * The per-payment checks run once rather than per ticket: every ticket of a
 * payment shares them, so the outcome is the same and the hot loop is only
 * signature, win and nonce (ADR 0103). Nonces are not recorded here: the
 * tickets whose signature checked out go to `commit` in one call, which records
 * their nonces and credits their EV as one atomic step (ADR 0106).
 */
import type { LpxError } from '@lpx/sdk';
import type { RoundsSource } from '../chain/sources.js';
import { addressKey, toChecksumAddress, type Address } from '../encoding/address.js';
import { bytesEqual, isAllZero } from '../encoding/bytes.js';
import { paymentErrors, refusal } from '../errors.js';
import { deriveRecipientRand, recipientRandHash } from '../crypto/recipient-rand.js';
import { SIGNATURE_FAULT_TEXT, type SignatureVerifier } from '../crypto/signature.js';
import { auxData, BatchTicketHasher } from '../crypto/ticket-hash.js';
import { WinningCheck } from '../crypto/winning.js';
import { ticketEV } from '../math/ev.js';
import type { Rational } from '../math/rational.js';
import type { TicketExpirationParams, TicketParams, TicketSenderParams } from '../wire/types.js';
import type { TicketCredit, TicketCreditResult } from '../accounting/credit-store.js';
import type { SenderMonitor } from './sender-monitor.js';

export interface TicketBatchInput {
  readonly sender: Address;
  readonly params: TicketParams;
  readonly expirationParams: TicketExpirationParams;
  /** The expected price echoed in the payment; part of the recipientRand HMAC. */
  readonly price: Rational;
  readonly senderParams: readonly TicketSenderParams[];
}

export interface WinningTicket {
  readonly senderParams: TicketSenderParams;
  readonly ticketHash: Uint8Array;
}

export interface BatchOutcome {
  /** EV of one ticket of this batch. */
  readonly ticketEV: Rational;
  /** Tickets credited: the ones before the first non-fatal error. */
  readonly creditedTickets: number;
  /** Winners whose nonce was recorded now (never a replay), to hand to redemption. */
  readonly winners: readonly WinningTicket[];
  readonly recipientRand: bigint;
  readonly auxData: Uint8Array;
  /** The first non-fatal error, if any. */
  readonly error?: LpxError;
  /** One entry per refused ticket, for the refusal counter. */
  readonly refusedReasons: readonly string[];
}

/** What the receiver hands to the credit store; the caller adds sender and session. */
export type NonceCommit = Omit<TicketCredit, 'sender' | 'sessionId'>;

export type CommitNonces = (commit: NonceCommit) => Promise<TicketCreditResult>;

export interface ReceiverContext {
  readonly recipient: Address;
  readonly secret: Uint8Array;
  /** Records the nonces and credits the creditable tickets, atomically. */
  readonly commit: CommitNonces;
  readonly verifier: SignatureVerifier;
  readonly rounds: RoundsSource;
  readonly senderMonitor: SenderMonitor;
}

function ticketRefusal(kind: 'signature' | 'replayed' | 'too_many' | 'expired', sender: Address, nonce: number, fault?: keyof typeof SIGNATURE_FAULT_TEXT): LpxError {
  switch (kind) {
    case 'signature':
      return refusal(paymentErrors.INVALID_SIGNATURE, 'invalid ticket signature', fault ?? 'signature_mismatch', false, { senderNonce: nonce, fault: SIGNATURE_FAULT_TEXT[fault ?? 'signature_mismatch'] });
    case 'replayed':
      return refusal(paymentErrors.NONCE_REPLAYED, `invalid ticket senderNonce: already seen sender=${toChecksumAddress(sender)} nonce=${nonce}`, 'nonce_replayed', false, { senderNonce: nonce });
    case 'too_many':
      return refusal(paymentErrors.TOO_MANY_NONCES, `invalid ticket senderNonce: too many values sender=${toChecksumAddress(sender)} nonce=${nonce}`, 'too_many_nonces', false, { senderNonce: nonce });
    case 'expired':
      return refusal(paymentErrors.TICKET_PARAMS_EXPIRED, 'TicketParams expired', 'params_expired', false, { senderNonce: nonce });
  }
}

export async function receiveTicketBatch(batch: TicketBatchInput, ctx: ReceiverContext): Promise<BatchOutcome> {
  const { params, sender, expirationParams } = batch;
  const aux = auxData(expirationParams.creationRound, expirationParams.creationRoundBlockHash);
  const ev = ticketEV(params.faceValue, params.winProb);
  if (batch.senderParams.length === 0) {
    return { ticketEV: ev, creditedTickets: 0, winners: [], recipientRand: 0n, auxData: aux, refusedReasons: [] };
  }

  const recipientRand = deriveRecipientRand(ctx.secret, {
    seed: params.seed,
    sender,
    faceValue: params.faceValue,
    winProb: params.winProb,
    expirationBlock: params.expirationBlock,
    price: batch.price,
    auxData: aux,
  });

  await ctx.senderMonitor.validateSender(sender);
  if (!bytesEqual(params.recipient, ctx.recipient)) {
    throw refusal(paymentErrors.INVALID_RECIPIENT, 'invalid ticket recipient', 'wrong_recipient', true, { recipient: toChecksumAddress(params.recipient) });
  }
  if (isAllZero(sender)) throw refusal(paymentErrors.INVALID_SENDER, 'invalid ticket sender', 'zero_sender', true);
  if (!bytesEqual(recipientRandHash(recipientRand), params.recipientRandHash)) {
    throw refusal(paymentErrors.INVALID_RECIPIENT_RAND, 'invalid recipientRand for ticket recipientRandHash', 'recipient_rand_mismatch', true);
  }

  const hasher = new BatchTicketHasher({
    recipient: params.recipient,
    sender,
    faceValue: params.faceValue,
    winProb: params.winProb,
    recipientRandHash: params.recipientRandHash,
    creationRound: expirationParams.creationRound,
    creationRoundBlockHash: expirationParams.creationRoundBlockHash,
  });
  const winning = new WinningCheck(recipientRand, params.winProb);
  const senderKey = addressKey(sender);
  const randKey = recipientRand.toString(16);
  const expired = params.expirationBlock <= ctx.rounds.lastSeenL1Block();

  // Pass 1, pure: signatures and wins. Nothing is recorded yet.
  type Checked = { sp: TicketSenderParams; hash: Uint8Array; won: boolean } | { sp: TicketSenderParams; fault: keyof typeof SIGNATURE_FAULT_TEXT };
  const checked: Checked[] = [];
  const valid: { sp: TicketSenderParams; hash: Uint8Array; won: boolean }[] = [];
  let creditable = -1;
  for (const sp of batch.senderParams) {
    const hash = hasher.hash(sp.senderNonce);
    const fault = ctx.verifier.verify(sender, senderKey, hash, sp.sig);
    if (fault !== undefined) {
      checked.push({ sp, fault });
      if (creditable < 0) creditable = valid.length;
      continue;
    }
    const entry = { sp, hash, won: winning.wins(sp.sig) };
    checked.push(entry);
    valid.push(entry);
  }
  if (creditable < 0) creditable = valid.length;

  // One atomic step: record the valid tickets' nonces, credit the leading fresh ones.
  const committed =
    valid.length === 0
      ? { outcomes: [], creditedTickets: 0 }
      : await ctx.commit({
          paramsKey: randKey,
          expirationBlock: params.expirationBlock,
          nonces: valid.map((v) => v.sp.senderNonce),
          creditable: expired ? 0 : creditable,
          ticketEV: ev,
        });

  // Pass 2: report in payment order, as go-livepeer's loop would have.
  let firstError: LpxError | undefined;
  const winners: WinningTicket[] = [];
  const refusedReasons: string[] = [];
  const fail = (error: LpxError): void => {
    firstError ??= error;
    refusedReasons.push(String(error.details?.['reason']));
  };
  let index = 0;
  for (const entry of checked) {
    if ('fault' in entry) {
      fail(ticketRefusal('signature', sender, entry.sp.senderNonce, entry.fault));
      continue;
    }
    const nonce = committed.outcomes[index++];
    if (nonce !== 'recorded') {
      fail(ticketRefusal(nonce === 'replayed' ? 'replayed' : 'too_many', sender, entry.sp.senderNonce));
      continue;
    }
    if (entry.won) winners.push({ senderParams: entry.sp, ticketHash: entry.hash });
    if (expired) fail(ticketRefusal('expired', sender, entry.sp.senderNonce));
  }
  const creditedTickets = committed.creditedTickets;

  return {
    ticketEV: ev,
    creditedTickets,
    winners,
    recipientRand,
    auxData: aux,
    ...(firstError !== undefined ? { error: firstError } : {}),
    refusedReasons,
  };
}
