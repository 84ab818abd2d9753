import { Rational } from './rational.js';

/** Win probabilities are numerators over 2^256 − 1. */
export const MAX_WIN_PROB = (1n << 256n) - 1n;

/** faceValue × winProb / (2^256 − 1), exact. */
export function ticketEV(faceValue: bigint, winProb: bigint): Rational {
  if (faceValue === 0n || winProb === 0n) return Rational.ZERO;
  return Rational.of(faceValue * winProb, MAX_WIN_PROB);
}

/** winProb as a fraction of certainty (0..1). */
export function winProbRatio(winProb: bigint): Rational {
  return Rational.of(winProb, MAX_WIN_PROB);
}

/**
 * The win probability an orchestrator offers for a face value so that the ticket
 * is worth at least `ev`: EV × ceil(max / faceValue), or certainty when the face
 * value equals the EV. The ceiling means the effective EV can exceed `ev` slightly.
 */
export function winProbForFaceValue(faceValue: bigint, ev: bigint): bigint {
  if (faceValue === 0n) return 0n;
  if (faceValue === ev) return MAX_WIN_PROB;
  const quotient = MAX_WIN_PROB / faceValue;
  const exact = quotient * faceValue === MAX_WIN_PROB;
  return ev * (exact ? quotient : quotient + 1n);
}
