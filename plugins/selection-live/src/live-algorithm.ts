import { filterByMaxPrice, KeptOrdering, type SelectionAlgorithm, type SelectionCandidate, type SelectionContext } from '@lpx/sdk';

/**
 * go-livepeer's LiveSelectionAlgorithm: its live selector keeps sessions
 * sorted by discovery latency and takes the first one under the max price.
 * Here the whole ordering is returned, so a swap takes the next-fastest.
 * Candidates without a latency go last, in the order given. No randomness:
 * live video wants the closest orchestrator every time.
 */
export class LiveSelectionAlgorithm implements SelectionAlgorithm {
  readonly name = 'live';

  select(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate[] {
    const byUri = new Map<string, SelectionCandidate>();
    for (const candidate of candidates) if (!byUri.has(candidate.uri)) byUri.set(candidate.uri, candidate);
    // Array.prototype.sort is stable, so equal latencies keep discovery order.
    const byLatency = [...byUri.values()].sort(byLatencyUnknownLast);
    return filterByMaxPrice(byLatency, context.maxPrice);
  }

  /** `select` per frozen list (the pool's kept usable set): a repeat pick is its head, a retry skips the few already tried. */
  readonly #kept = new KeptOrdering((candidates, context) => this.select(candidates, context));

  /** The head of `select`: from the ordering kept for a frozen list, else in one pass: the fastest within the max price, else the first without a latency. */
  first(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate | undefined {
    const kept = this.#kept.of(candidates, context);
    if (kept !== undefined) return kept[0];
    let best: SelectionCandidate | undefined;
    for (const candidate of filterByMaxPrice(candidates, context.maxPrice)) {
      if (best === undefined || byLatencyUnknownLast(candidate, best) < 0) best = candidate;
    }
    return best;
  }

  /** A stable sort and a per-candidate filter: the kept ordering minus `exclude` is the answer. */
  firstExcluding(candidates: readonly SelectionCandidate[], exclude: ReadonlySet<string>, context: SelectionContext): SelectionCandidate | undefined {
    const kept = this.#kept.of(candidates, context);
    if (kept !== undefined) return KeptOrdering.firstNotIn(kept, exclude);
    const rest = candidates.filter((c) => !exclude.has(c.uri));
    return rest.length === 0 ? undefined : this.first(rest, context);
  }
}

function byLatencyUnknownLast(a: SelectionCandidate, b: SelectionCandidate): number {
  if (a.latencyMs === undefined || b.latencyMs === undefined) return (a.latencyMs === undefined ? 1 : 0) - (b.latencyMs === undefined ? 1 : 0);
  return a.latencyMs - b.latencyMs;
}
