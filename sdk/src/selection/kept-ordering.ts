import type { SelectionCandidate, SelectionContext } from '../extension-points/selection-algorithms.js';

/**
 * A deterministic algorithm's ordering kept per frozen candidate list and max
 * price. The gateway's pool hands every job the same frozen list until its
 * usable set changes, so the ordering is computed once per change and a pick
 * is its head: O(1), or O(k) when skipping k excluded uris. Unfrozen lists are
 * ordered afresh each call (they may be mutated between calls).
 */
export class KeptOrdering {
  readonly #order: (candidates: readonly SelectionCandidate[], context: SelectionContext) => SelectionCandidate[];
  readonly #kept = new WeakMap<readonly SelectionCandidate[], { readonly maxPrice: string; readonly ordering: readonly SelectionCandidate[] }>();

  constructor(order: (candidates: readonly SelectionCandidate[], context: SelectionContext) => SelectionCandidate[]) {
    this.#order = order;
  }

  /** The ordering of a frozen list from the kept copy; undefined for an unfrozen list (the caller does its own pass). */
  of(candidates: readonly SelectionCandidate[], context: SelectionContext): readonly SelectionCandidate[] | undefined {
    if (!Object.isFrozen(candidates)) return undefined;
    const maxPrice = context.maxPrice === undefined ? '' : `${context.maxPrice.pricePerUnit}/${context.maxPrice.pixelsPerUnit}`;
    const kept = this.#kept.get(candidates);
    if (kept !== undefined && kept.maxPrice === maxPrice) return kept.ordering;
    const ordering = this.#order(candidates, context);
    this.#kept.set(candidates, { maxPrice, ordering });
    return ordering;
  }

  /**
   * The first of `ordering` not excluded. Valid for orderings where removing
   * candidates from the input only removes them from the output (stable sorts
   * and filters that judge each candidate alone).
   */
  static firstNotIn(ordering: readonly SelectionCandidate[], exclude: ReadonlySet<string>): SelectionCandidate | undefined {
    for (const candidate of ordering) if (!exclude.has(candidate.uri)) return candidate;
    return undefined;
  }
}
