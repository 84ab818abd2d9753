import type { SelectionCandidate } from '../extension-points/selection-algorithms.js';

export interface RationalPrice {
  readonly pricePerUnit: bigint;
  readonly pixelsPerUnit: bigint;
}

/** A price with a zero denominator has no value (go-livepeer cannot even build that big.Rat), so it counts as missing. */
export function isUsablePrice(price: RationalPrice | undefined): price is RationalPrice {
  return price !== undefined && price.pixelsPerUnit !== 0n;
}

/** a ≤ b by cross-multiplication, so wei prices of any size compare exactly (no float rounding). */
export function priceAtMost(a: RationalPrice, b: RationalPrice): boolean {
  // Multiplying by a negative denominator flips the inequality; fold the signs in first.
  const sign = (a.pixelsPerUnit < 0n ? -1n : 1n) * (b.pixelsPerUnit < 0n ? -1n : 1n);
  return a.pricePerUnit * b.pixelsPerUnit * sign <= b.pricePerUnit * a.pixelsPerUnit * sign;
}

/** Price as float64 wei per unit, the way go-livepeer feeds it to exp(): only for weights, never for comparisons. */
export function priceToFloat(price: RationalPrice | undefined): number {
  if (!isUsablePrice(price)) return 0;
  return Number(price.pricePerUnit) / Number(price.pixelsPerUnit);
}

/**
 * go-livepeer's filterByMaxPrice: no max price, or no candidate with a price,
 * means no filter; otherwise a candidate without a price is dropped.
 */
export function filterByMaxPrice<C extends SelectionCandidate>(candidates: readonly C[], maxPrice: RationalPrice | undefined): C[] {
  if (!isUsablePrice(maxPrice) || !candidates.some((c) => isUsablePrice(c.price))) return [...candidates];
  return candidates.filter((c) => isUsablePrice(c.price) && priceAtMost(c.price, maxPrice));
}
