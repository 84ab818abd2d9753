import type { SelectionCandidate } from '@lpx/sdk';
import { priceToFloat } from '@lpx/sdk';

export interface ProbabilityWeights {
  readonly stakeWeight: number;
  readonly priceWeight: number;
  readonly randWeight: number;
  readonly priceExpFactor: number;
}

/** Stake is a decimal wei string; go-livepeer only uses stakes relative to each other, so float64 is enough. */
export function stakeOf(candidate: SelectionCandidate): number {
  return candidate.stake !== undefined && /^\d+$/.test(candidate.stake) ? Number(candidate.stake) : 0;
}

/** The unnormalised price share: cheaper weighs exp(-price/factor). */
export function priceTerm(candidate: SelectionCandidate, weights: ProbabilityWeights): number {
  return Math.exp((-1 * priceToFloat(candidate.price)) / weights.priceExpFactor);
}

/**
 * go-livepeer's calculateProbabilities: a weighted mix of the stake share, a
 * price share where cheaper weighs exp(-price/factor), and a uniform share.
 * A zero sum makes that share 1.0 for everyone, as go-livepeer does.
 */
export function selectionProbabilities(candidates: readonly SelectionCandidate[], weights: ProbabilityWeights): number[] {
  const priceNorm = candidates.map((c) => priceTerm(c, weights));
  const stakes = candidates.map(stakeOf);
  const priceSum = priceNorm.reduce((sum, p) => sum + p, 0);
  const stakeSum = stakes.reduce((sum, s) => sum + s, 0);
  const randProb = 1 / candidates.length;
  return candidates.map((_, i) => {
    const priceProb = priceSum !== 0 ? priceNorm[i]! / priceSum : 1;
    const stakeProb = stakeSum !== 0 ? stakes[i]! / stakeSum : 1;
    return weights.priceWeight * priceProb + weights.stakeWeight * stakeProb + weights.randWeight * randProb;
  });
}

/**
 * go-livepeer's selectBy: walk the cumulative probabilities and take the first
 * with r ≤ cum, falling back to the first entry when float rounding leaves r
 * past the end. One deliberate difference: r is scaled to the total. The
 * probabilities sum to more than 1 when no candidate has stake (or none a
 * price term): each then gets a share of 1.0. go-livepeer walks a Go map, in
 * random order, so its picks still spread over everyone; a walk in a fixed
 * order with r ∈ [0, 1) would only ever reach the first one or two
 * candidates. Scaled, the draw is exact when the sum is 1 and spreads by
 * weight when it is not.
 */
export function drawIndex(probabilities: readonly number[], r: number): number {
  const target = r * probabilities.reduce((sum, p) => sum + p, 0);
  let cumulative = 0;
  for (let i = 0; i < probabilities.length; i++) {
    cumulative += probabilities[i]!;
    if (target <= cumulative) return i;
  }
  return 0;
}
