import { errors, type SelectionAlgorithm, type SelectionCandidate, type SelectionContext } from '@lpx/sdk';
import { filterByMaxPrice } from '@lpx/sdk';
import { DrawTree } from './draw-tree.js';
import { ExcludingDraw } from './excluding-draw.js';
import { drawIndex, priceTerm, selectionProbabilities, stakeOf, type ProbabilityWeights } from './probabilities.js';

export interface ProbabilityOptions extends ProbabilityWeights {
  /** Keep only candidates with performance ≥ this; 0 disables the filter. */
  readonly minPerfScore: number;
  /** When nobody is under the max price, choose among everyone instead of no one. */
  readonly ignoreMaxPriceIfNeeded: boolean;
}

/** go-livepeer's defaults (-selectStakeWeight 0.7, -selectPriceWeight 0, -selectRandFreq 0.3, -selectPriceExpFactor 100). */
export const PROBABILITY_DEFAULTS: ProbabilityOptions = Object.freeze({
  stakeWeight: 0.7,
  priceWeight: 0,
  randWeight: 0.3,
  priceExpFactor: 100,
  minPerfScore: 0,
  ignoreMaxPriceIfNeeded: false,
});

/** go-livepeer refuses to start unless the three weights sum to 1 within this tolerance. */
const WEIGHT_SUM_TOLERANCE = 1e-4;

/**
 * go-livepeer's ProbabilitySelectionAlgorithm (the on-chain gateway default).
 * `first` is exactly go-livepeer's single pick; `select` returns that pick
 * followed by the picks it would make on each retry after removing the ones
 * before, since go-livepeer re-runs the algorithm over the remaining sessions
 * on failure.
 */
export class ProbabilitySelectionAlgorithm implements SelectionAlgorithm {
  readonly name = 'probability';
  readonly options: ProbabilityOptions;

  constructor(options: Partial<ProbabilityOptions> = {}) {
    this.options = { ...PROBABILITY_DEFAULTS, ...options };
    const { stakeWeight, priceWeight, randWeight, priceExpFactor } = this.options;
    const sum = stakeWeight + priceWeight + randWeight;
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      throw errors.config.INVALID.create(`selection weights must sum to 1: stakeWeight ${stakeWeight} + priceWeight ${priceWeight} + randWeight ${randWeight} = ${sum}`);
    }
    if (!(priceExpFactor > 0)) throw errors.config.INVALID.create(`priceExpFactor must be > 0, got ${priceExpFactor}`);
  }

  /**
   * The retry order. The eligible set (performance, max price) only changes
   * when it runs empty — removing an eligible candidate leaves the others
   * eligible — so each phase is one tree of draws, O(n log n) overall.
   */
  select(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate[] {
    const random = context.random ?? Math.random;
    let remaining = uniqueByUri(candidates);
    const ordered: SelectionCandidate[] = [];
    while (remaining.length > 0) {
      const eligible = this.#filter(remaining, context);
      if (eligible.length === 0) break;
      const tree = new DrawTree(eligible.map((c) => priceTerm(c, this.options)), eligible.map(stakeOf));
      const taken = new Set<SelectionCandidate>();
      while (tree.remaining > 0) {
        const picked = eligible[tree.take(random(), this.options)]!;
        ordered.push(picked);
        taken.add(picked);
      }
      remaining = remaining.filter((c) => !taken.has(c));
    }
    return ordered;
  }

  /**
   * go-livepeer's single pick: one weighted draw over the eligible
   * candidates. The prefix sums are O(n) once per candidate list and kept for
   * that list (the gateway's pool hands the same frozen list to every job
   * until its usable set changes), so a repeat pick is a binary search.
   */
  first(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate | undefined {
    const prepared = this.#prepared(candidates, context);
    if (prepared.eligible.length === 0) return undefined;
    return prepared.eligible[searchIndex(prepared.cumulative, (context.random ?? Math.random)())];
  }

  /**
   * A retry's pick without the orchestrators already tried: over a kept
   * (frozen) list, one draw in O(k log n) from prefix sums kept with it
   * (ExcludingDraw); otherwise, or when the shortcut declines, the list is
   * filtered and drawn afresh. The performance filter can change with who is
   * left, so with `minPerfScore` set this always filters.
   */
  firstExcluding(candidates: readonly SelectionCandidate[], exclude: ReadonlySet<string>, context: SelectionContext): SelectionCandidate | undefined {
    if (Object.isFrozen(candidates) && this.options.minPerfScore <= 0) {
      const prepared = this.#prepared(candidates, context);
      prepared.excluding ??= new ExcludingDraw(prepared.eligible.map((c) => c.uri), prepared.eligible.map((c) => priceTerm(c, this.options)), prepared.eligible.map(stakeOf));
      const index = prepared.excluding.draw(exclude, (context.random ?? Math.random)(), this.options);
      // -1 (everyone eligible excluded) may still leave a choice when ignoreMaxPriceIfNeeded: the filtered path decides.
      if (index !== undefined && index >= 0) return prepared.eligible[index];
    }
    const rest = candidates.filter((c) => !exclude.has(c.uri));
    return rest.length === 0 ? undefined : this.first(rest, context);
  }

  readonly #draws = new WeakMap<readonly SelectionCandidate[], Prepared>();

  #prepared(candidates: readonly SelectionCandidate[], context: SelectionContext): Prepared {
    const maxPrice = context.maxPrice === undefined ? '' : `${context.maxPrice.pricePerUnit}/${context.maxPrice.pixelsPerUnit}`;
    const kept = this.#draws.get(candidates);
    if (kept !== undefined && kept.maxPrice === maxPrice) return kept;
    const eligible = this.#filter(uniqueByUri(candidates), context);
    const probabilities = selectionProbabilities(eligible, this.options);
    // Summed left to right exactly as drawIndex does, so the pick is the same float for float.
    const cumulative = new Float64Array(probabilities.length);
    let sum = 0;
    for (let i = 0; i < probabilities.length; i++) cumulative[i] = sum += probabilities[i]!;
    const prepared: Prepared = { maxPrice, eligible, cumulative };
    if (Object.isFrozen(candidates)) this.#draws.set(candidates, prepared);
    return prepared;
  }

  #filter(candidates: readonly SelectionCandidate[], context: SelectionContext): readonly SelectionCandidate[] {
    const byPerformance = this.#filterByPerformance(candidates);
    const byPrice = filterByMaxPrice(byPerformance, context.maxPrice);
    // No one under the max price: go-livepeer either picks no one or, if told to, ignores the limit.
    return byPrice.length === 0 && this.options.ignoreMaxPriceIfNeeded ? byPerformance : byPrice;
  }

  #filterByPerformance(candidates: readonly SelectionCandidate[]): readonly SelectionCandidate[] {
    const { minPerfScore } = this.options;
    if (minPerfScore <= 0 || !candidates.some((c) => c.performance !== undefined)) return candidates;
    const passing = candidates.filter((c) => (c.performance ?? 0) >= minPerfScore);
    // Nobody passing points at a broken score feed rather than at bad orchestrators, so go-livepeer drops the filter.
    return passing.length > 0 ? passing : candidates;
  }
}

interface Prepared {
  readonly maxPrice: string;
  readonly eligible: readonly SelectionCandidate[];
  readonly cumulative: Float64Array;
  /** Built on the first retry over this list. */
  excluding?: ExcludingDraw;
}

/** drawIndex over prefix sums: the first i with r·total ≤ cumulative[i], else 0 (float rounding past the end). */
function searchIndex(cumulative: Float64Array, random: number): number {
  const r = random * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r <= cumulative[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo < cumulative.length ? lo : 0;
}

function uniqueByUri(candidates: readonly SelectionCandidate[]): readonly SelectionCandidate[] {
  // The gateway's pool never repeats a uri: skip the copy when nothing repeats.
  const uris = new Set<string>();
  for (const candidate of candidates) uris.add(candidate.uri);
  if (uris.size === candidates.length) return candidates;
  const byUri = new Map<string, SelectionCandidate>();
  for (const candidate of candidates) if (!byUri.has(candidate.uri)) byUri.set(candidate.uri, candidate);
  return [...byUri.values()];
}
