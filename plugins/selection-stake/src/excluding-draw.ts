/**
 * go-livepeer's single weighted draw over an eligible list minus a few
 * excluded candidates (a retry skips the orchestrators it already tried),
 * without a pass over the list. A candidate's probability over the rest R is
 *   priceWeight·a_i/ΣA(R) + stakeWeight·s_i/ΣS(R) + randWeight/|R|,
 * so the cumulative probability up to index j is a linear combination of
 * three prefix sums (price terms, stakes, count) minus the excluded ones up
 * to j. Those prefix sums are kept per list; a draw is a binary search whose
 * every step subtracts the k excluded terms: O(k log n).
 * Returns undefined when the shortcut cannot be exact enough and the caller
 * should filter and draw afresh: when an excluded candidate carries half or
 * more of a sum (subtracting it from the total would lose precision).
 */
import type { ProbabilityWeights } from './probabilities.js';

export class ExcludingDraw {
  readonly #uris: ReadonlyMap<string, number>;
  readonly #price: Float64Array;
  readonly #stake: Float64Array;
  readonly #cumPrice: Float64Array;
  readonly #cumStake: Float64Array;
  readonly #priced: number;
  readonly #staked: number;

  constructor(uris: readonly string[], priceTerms: readonly number[], stakes: readonly number[]) {
    const n = uris.length;
    this.#uris = new Map(uris.map((uri, i) => [uri, i]));
    this.#price = Float64Array.from(priceTerms);
    this.#stake = Float64Array.from(stakes);
    this.#cumPrice = new Float64Array(n);
    this.#cumStake = new Float64Array(n);
    let a = 0;
    let s = 0;
    let priced = 0;
    let staked = 0;
    for (let i = 0; i < n; i++) {
      this.#cumPrice[i] = a += priceTerms[i]!;
      this.#cumStake[i] = s += stakes[i]!;
      if (priceTerms[i]! !== 0) priced++;
      if (stakes[i]! !== 0) staked++;
    }
    this.#priced = priced;
    this.#staked = staked;
  }

  /** The index drawn for r ∈ [0, 1) among the list minus `exclude`; -1 when nothing is left; undefined: filter instead. */
  draw(exclude: ReadonlySet<string>, random: number, weights: ProbabilityWeights): number | undefined {
    const n = this.#price.length;
    const out: number[] = [];
    for (const uri of exclude) {
      const index = this.#uris.get(uri);
      if (index !== undefined) out.push(index);
    }
    if (out.length === n) return -1;
    out.sort((x, y) => x - y);
    let outPrice = 0;
    let outStake = 0;
    let outPriced = 0;
    let outStaked = 0;
    for (const i of out) {
      outPrice += this.#price[i]!;
      outStake += this.#stake[i]!;
      if (this.#price[i]! !== 0) outPriced++;
      if (this.#stake[i]! !== 0) outStaked++;
    }
    const priceSum = n > 0 ? this.#cumPrice[n - 1]! : 0;
    const stakeSum = n > 0 ? this.#cumStake[n - 1]! : 0;
    if ((outPrice > 0 && outPrice * 2 >= priceSum) || (outStake > 0 && outStake * 2 >= stakeSum)) return undefined;
    const left = n - out.length;
    // go-livepeer's zero-sum rule (a share of 1.0 each) decided by exact counts of non-zero terms, as in DrawTree.
    const alpha = this.#priced - outPriced > 0 ? weights.priceWeight / (priceSum - outPrice) : 0;
    const beta = this.#staked - outStaked > 0 ? weights.stakeWeight / (stakeSum - outStake) : 0;
    const gamma = weights.randWeight / left + (this.#priced - outPriced > 0 ? 0 : weights.priceWeight) + (this.#staked - outStaked > 0 ? 0 : weights.stakeWeight);
    const cumulative = (j: number): number => {
      let a = this.#cumPrice[j]!;
      let s = this.#cumStake[j]!;
      let count = j + 1;
      for (const i of out) {
        if (i > j) break;
        a -= this.#price[i]!;
        s -= this.#stake[i]!;
        count--;
      }
      return alpha * a + beta * s + gamma * count;
    };
    const excluded = new Set(out);
    const nextOpen = (from: number): number => {
      let i = from;
      while (i < n && excluded.has(i)) i++;
      return i < n ? i : -1;
    };
    // Scaled to the total, as drawIndex: a zero-sum share makes the total exceed 1.
    const r = random * cumulative(n - 1);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r <= cumulative(mid)) hi = mid;
      else lo = mid + 1;
    }
    // Past the end by float rounding: go-livepeer takes the first entry. An excluded index adds no mass, so the draw lands on the next open one.
    return lo < n ? nextOpen(lo) === -1 ? nextOpen(0) : nextOpen(lo) : nextOpen(0);
  }
}
