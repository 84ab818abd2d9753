import { createExtensionPoint } from '../refs/extension-point.js';

/** What a selection algorithm sees of one orchestrator; all fields are data, no callbacks. */
export interface SelectionCandidate {
  readonly uri: string;
  readonly address?: string;
  /** Stake as a decimal string (wei). */
  readonly stake?: string;
  /** Price as a rational: pricePerUnit / pixelsPerUnit wei per unit. */
  readonly price?: { pricePerUnit: bigint; pixelsPerUnit: bigint };
  /** Last observed latency in ms, if any. */
  readonly latencyMs?: number;
  /** 0..1 performance score, if known. */
  readonly performance?: number;
}

export interface SelectionContext {
  readonly capabilityId: string;
  readonly model?: string;
  /** Max price the caller accepts, same rational form. */
  readonly maxPrice?: { pricePerUnit: bigint; pixelsPerUnit: bigint };
  /** Deterministic randomness for offline simulation; defaults to Math.random. */
  readonly random?: () => number;
}

/**
 * Ranks candidates. `select` returns them best-first (possibly fewer: filters
 * may drop some); the simulator and retries read the whole ordering.
 * `first` is the gateway's per-job call: the one candidate `select` would put
 * first, in O(n) or better (a min scan, one weighted draw) instead of a full
 * ordering. It is optional for third-party algorithms — the kernel then takes
 * the head of `select` — and must agree with that head in distribution (the
 * conformance suite checks it).
 */
export interface SelectionAlgorithm {
  readonly name: string;
  select(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate[];
  first?(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate | undefined;
  /**
   * `first` over the candidates whose uri is not in `exclude` (a retry skips the
   * few orchestrators it already tried). Must agree in distribution with
   * `first(candidates.filter(not excluded))`; an algorithm that keeps work per
   * frozen list can answer it without a pass over the list. Optional.
   */
  firstExcluding?(candidates: readonly SelectionCandidate[], exclude: ReadonlySet<string>, context: SelectionContext): SelectionCandidate | undefined;
}

/**
 * The algorithm's first choice: its `first` when it has one, else the head of its full ordering.
 * With a non-empty `exclude`: its `firstExcluding` when it has one, else the same over the filtered list.
 */
export function firstChoiceOf(algorithm: SelectionAlgorithm, candidates: readonly SelectionCandidate[], context: SelectionContext, exclude?: ReadonlySet<string>): SelectionCandidate | undefined {
  if (candidates.length === 0) return undefined;
  if (exclude !== undefined && exclude.size > 0) {
    if (algorithm.firstExcluding !== undefined) return algorithm.firstExcluding(candidates, exclude, context);
    candidates = candidates.filter((c) => !exclude.has(c.uri));
    if (candidates.length === 0) return undefined;
  }
  return algorithm.first !== undefined ? algorithm.first(candidates, context) : algorithm.select(candidates, context)[0];
}

export interface SelectionAlgorithmsExtensionPoint {
  addAlgorithm(algorithm: SelectionAlgorithm): void;
}

export const selectionAlgorithmsExtensionPoint = createExtensionPoint<SelectionAlgorithmsExtensionPoint>({
  id: 'selection.algorithms',
});
