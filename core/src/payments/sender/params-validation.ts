/**
 * The gateway's checks on ticket params an orchestrator sent, before it signs
 * anything against them (go-livepeer's validateTicketParams, same order and texts).
 */
import type { RoundsSource, SenderInfo } from '../chain/sources.js';
import { isUnlockingSoon } from '../chain/sources.js';
import { paymentErrors, refusal } from '../errors.js';
import { ticketEV } from '../math/ev.js';
import { Rational } from '../math/rational.js';
import type { TicketParams } from '../wire/types.js';

/** Params must have more than this many blocks left. */
export const PARAMS_EXPIRY_BUFFER = 1n;

export interface SenderLimits {
  /** Largest EV per ticket (go-livepeer -maxTicketEV, default 3e12 wei). */
  readonly maxEV: Rational;
  /** Largest EV of one batch (-maxTotalEV, default 2e13 wei). */
  readonly maxTotalEV: Rational;
  /** faceValue must be ≤ deposit / depositMultiplier (default 1). */
  readonly depositMultiplier: bigint;
}

export const DEFAULT_SENDER_LIMITS: SenderLimits = {
  maxEV: Rational.of(3_000_000_000_000n),
  maxTotalEV: Rational.of(20_000_000_000_000n),
  depositMultiplier: 1n,
};

function fail(code: (typeof paymentErrors)[keyof typeof paymentErrors], message: string, reason: string): never {
  throw refusal(code, message, reason, true);
}

/** Checks that need no chain read; returns the ticket EV. */
export function validateParamsShape(params: TicketParams | undefined, rounds: RoundsSource, limits: SenderLimits): Rational {
  if (params === undefined) fail(paymentErrors.INVALID_TICKET_PARAMS, 'ticketParams is nil', 'invalid_ticket_params');
  if (params.expirationBlock === 0n) fail(paymentErrors.INVALID_TICKET_PARAMS, 'ticketParams expiration block is 0', 'invalid_ticket_params');
  if (params.expirationBlock - rounds.lastSeenL1Block() <= PARAMS_EXPIRY_BUFFER) {
    fail(paymentErrors.TICKET_PARAMS_EXPIRED, 'TicketParams expired', 'params_expired');
  }
  const ev = ticketEV(params.faceValue, params.winProb);
  if (ev.sign() <= 0) return ev;
  if (ev.gte(Rational.of(params.faceValue))) fail(paymentErrors.FACE_VALUE_TOO_LOW, `ticket faceValue too low faceValue=${params.faceValue}`, 'face_value_too_low');
  if (ev.gt(limits.maxEV)) fail(paymentErrors.TICKET_EV_TOO_HIGH, `ticket EV ${ev.toFixed(5)} > max ticket EV ${limits.maxEV.toFixed(5)}`, 'ticket_ev_too_high');
  return ev;
}

/** The checks against this node's own deposit and reserve, for a batch of `numTickets`. */
export function validateAgainstFunds(params: TicketParams, ev: Rational, numTickets: number, info: SenderInfo, lastInitializedRound: bigint, limits: SenderLimits): void {
  if (isUnlockingSoon(info, lastInitializedRound)) {
    fail(paymentErrors.SENDER_NOT_FUNDED, 'unable to validate sender: deposit and reserve is set to unlock soon', 'sender_unlocking');
  }
  if (info.reserve.fundsRemaining === 0n) fail(paymentErrors.SENDER_NOT_FUNDED, 'no sender reserve', 'no_reserve');
  if (info.deposit === 0n) fail(paymentErrors.SENDER_NOT_FUNDED, 'no sender deposit', 'no_deposit');
  const totalEV = ev.mulInt(BigInt(numTickets));
  if (totalEV.gt(limits.maxTotalEV)) {
    fail(paymentErrors.TOTAL_EV_TOO_HIGH, `total ticket EV ${totalEV.toFixed(5)} for ${numTickets} tickets > max total ticket EV ${limits.maxTotalEV.toFixed(5)}`, 'total_ev_too_high');
  }
  const maxFaceValue = info.deposit / limits.depositMultiplier;
  if (params.faceValue > maxFaceValue) fail(paymentErrors.FACE_VALUE_TOO_HIGH, `ticket faceValue ${params.faceValue} > max faceValue ${maxFaceValue}`, 'face_value_too_high');
}
