import { filterByMaxPrice, KeptOrdering, type SelectionAlgorithm, type SelectionCandidate, type SelectionContext } from '@lpx/sdk';
import { latencyScore } from './latency-score.js';

export interface MinLSOptions {
  /** A known orchestrator at or under this latency score is taken before any unknown one. */
  readonly minLatencyScore: number;
  readonly segmentDurationMs: number;
}

/** go-livepeer's transcoding values: minLS 1.0 and its default 2 s segments. */
export const MIN_LS_DEFAULTS: MinLSOptions = Object.freeze({ minLatencyScore: 1, segmentDurationMs: 2000 });

/**
 * go-livepeer's MinLSSelector, as the order of repeated Select calls:
 * known orchestrators (those with a measured latency) whose score is ≤ minLS,
 * best first; then unknown ones in the order given (go-livepeer's off-chain
 * rule: discovery order, which is fastest GetOrchestrator reply first); then
 * the remaining known ones, best first — go-livepeer falls back to them only
 * when no unknown session is left.
 *
 * Unlike go-livepeer, known orchestrators are also held to the max price: in
 * go-livepeer they only became known by passing that filter earlier, and a
 * stateless algorithm cannot tell, so it checks again.
 */
export class MinLSSelectionAlgorithm implements SelectionAlgorithm {
  readonly name = 'min-ls';
  readonly options: MinLSOptions;

  constructor(options: Partial<MinLSOptions> = {}) {
    this.options = { ...MIN_LS_DEFAULTS, ...options };
  }

  select(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate[] {
    const eligible = filterByMaxPrice(uniqueByUri(candidates), context.maxPrice);
    const scored = eligible
      .filter((c) => c.latencyMs !== undefined)
      .map((candidate) => ({ candidate, score: latencyScore(candidate.latencyMs!, this.options.segmentDurationMs) }))
      // Array.prototype.sort is stable, so equal scores keep the caller's order.
      .sort((a, b) => a.score - b.score);
    const goodEnough = scored.filter((s) => s.score <= this.options.minLatencyScore).map((s) => s.candidate);
    const slow = scored.filter((s) => s.score > this.options.minLatencyScore).map((s) => s.candidate);
    const unknown = eligible.filter((c) => c.latencyMs === undefined);
    return [...goodEnough, ...unknown, ...slow];
  }

  /** `select` per frozen list (the pool's kept usable set): a repeat pick is its head, a retry skips the few already tried. */
  readonly #kept = new KeptOrdering((candidates, context) => this.select(candidates, context));

  /**
   * The head of `select`: from the ordering kept for a frozen list, else in one
   * pass: the best good-enough known one, else the first unknown, else the best slow one.
   */
  first(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate | undefined {
    const kept = this.#kept.of(candidates, context);
    if (kept !== undefined) return kept[0];
    const eligible = filterByMaxPrice(candidates, context.maxPrice);
    let best: SelectionCandidate | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    let unknown: SelectionCandidate | undefined;
    for (const candidate of eligible) {
      if (candidate.latencyMs === undefined) {
        unknown ??= candidate;
        continue;
      }
      const score = latencyScore(candidate.latencyMs, this.options.segmentDurationMs);
      // Strictly less: the first of equal scores wins, as the stable sort in `select` keeps it first.
      if (score < bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best !== undefined && bestScore <= this.options.minLatencyScore) return best;
    return unknown ?? best;
  }

  /** Removing candidates keeps the others' order (stable sort, per-candidate filters), so the kept ordering minus `exclude` is the answer. */
  firstExcluding(candidates: readonly SelectionCandidate[], exclude: ReadonlySet<string>, context: SelectionContext): SelectionCandidate | undefined {
    const kept = this.#kept.of(candidates, context);
    if (kept !== undefined) return KeptOrdering.firstNotIn(kept, exclude);
    const rest = candidates.filter((c) => !exclude.has(c.uri));
    return rest.length === 0 ? undefined : this.first(rest, context);
  }
}

function uniqueByUri(candidates: readonly SelectionCandidate[]): SelectionCandidate[] {
  const byUri = new Map<string, SelectionCandidate>();
  for (const candidate of candidates) if (!byUri.has(candidate.uri)) byUri.set(candidate.uri, candidate);
  return [...byUri.values()];
}
