/**
 * Repeated draws without replacement under go-livepeer's probability mix, in
 * O(log n) per draw. A candidate's probability over the remaining set R is
 *   priceWeight·a_i/ΣA(R) + stakeWeight·s_i/ΣS(R) + randWeight/|R|,
 * which is linear in three per-candidate quantities (price term a_i, stake
 * s_i, and 1 for being present). A segment tree holds the three sums of every
 * range, so the cumulative probability of any prefix is one linear combination
 * and the first index with r ≤ cumulative is found by one descent — the same
 * rule as `drawIndex`, walked in the same order. Nodes are recomputed from
 * their children on removal (never by subtraction), so sums do not drift when
 * a huge stake leaves next to small ones.
 */
import type { ProbabilityWeights } from './probabilities.js';

export class DrawTree {
  readonly #size: number;
  readonly #price: Float64Array;
  readonly #stake: Float64Array;
  readonly #count: Float64Array;
  /** Remaining candidates with a non-zero price term / stake: go-livepeer's zero-sum rule needs an exact zero test. */
  #pricedLeft = 0;
  #stakedLeft = 0;

  constructor(priceTerms: readonly number[], stakes: readonly number[]) {
    let size = 1;
    while (size < priceTerms.length) size *= 2;
    this.#size = size;
    this.#price = new Float64Array(2 * size);
    this.#stake = new Float64Array(2 * size);
    this.#count = new Float64Array(2 * size);
    for (let i = 0; i < priceTerms.length; i++) {
      this.#price[size + i] = priceTerms[i]!;
      this.#stake[size + i] = stakes[i]!;
      this.#count[size + i] = 1;
      if (priceTerms[i]! !== 0) this.#pricedLeft++;
      if (stakes[i]! !== 0) this.#stakedLeft++;
    }
    for (let node = size - 1; node >= 1; node--) this.#pull(node);
  }

  get remaining(): number {
    return this.#count[1]!;
  }

  /** Draws one remaining index for random ∈ [0, 1) and removes it; -1 when none remain. */
  take(random: number, weights: ProbabilityWeights): number {
    const left = this.#count[1]!;
    if (left === 0) return -1;
    // A zero sum makes that share 1.0 for everyone (go-livepeer), i.e. a per-candidate constant.
    const alpha = this.#pricedLeft > 0 ? weights.priceWeight / this.#price[1]! : 0;
    const beta = this.#stakedLeft > 0 ? weights.stakeWeight / this.#stake[1]! : 0;
    const gamma = weights.randWeight / left + (this.#pricedLeft > 0 ? 0 : weights.priceWeight) + (this.#stakedLeft > 0 ? 0 : weights.stakeWeight);
    const mass = (node: number): number => alpha * this.#price[node]! + beta * this.#stake[node]! + gamma * this.#count[node]!;
    // Scaled to the total, as drawIndex: a zero-sum share makes the total exceed 1.
    const r = random * mass(1);
    let node = 1;
    let cumulative = 0;
    if (r > mass(1)) {
      // Float rounding left r past the end: go-livepeer takes the first entry.
      while (node < this.#size) node = this.#count[2 * node]! > 0 ? 2 * node : 2 * node + 1;
    } else {
      while (node < this.#size) {
        const l = 2 * node;
        const m = mass(l);
        if (this.#count[l]! > 0 && r <= cumulative + m) node = l;
        else {
          cumulative += m;
          node = l + 1;
        }
      }
    }
    const index = node - this.#size;
    this.#remove(node);
    return index;
  }

  #remove(leaf: number): void {
    if (this.#price[leaf]! !== 0) this.#pricedLeft--;
    if (this.#stake[leaf]! !== 0) this.#stakedLeft--;
    this.#price[leaf] = 0;
    this.#stake[leaf] = 0;
    this.#count[leaf] = 0;
    for (let node = leaf >> 1; node >= 1; node >>= 1) this.#pull(node);
  }

  #pull(node: number): void {
    this.#price[node] = this.#price[2 * node]! + this.#price[2 * node + 1]!;
    this.#stake[node] = this.#stake[2 * node]! + this.#stake[2 * node + 1]!;
    this.#count[node] = this.#count[2 * node]! + this.#count[2 * node + 1]!;
  }
}
