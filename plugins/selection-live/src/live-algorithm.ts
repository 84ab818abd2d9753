import type { SelectionAlgorithm, SelectionCandidate, SelectionContext } from '@lpx/sdk';
import { filterByMaxPrice } from '@lpx/sdk';

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

  /** The head of `select` in one pass: the fastest within the max price, else the first without a latency. */
  first(candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate | undefined {
    let best: SelectionCandidate | undefined;
    for (const candidate of filterByMaxPrice(candidates, context.maxPrice)) {
      if (best === undefined || byLatencyUnknownLast(candidate, best) < 0) best = candidate;
    }
    return best;
  }
}

function byLatencyUnknownLast(a: SelectionCandidate, b: SelectionCandidate): number {
  if (a.latencyMs === undefined || b.latencyMs === undefined) return (a.latencyMs === undefined ? 1 : 0) - (b.latencyMs === undefined ? 1 : 0);
  return a.latencyMs - b.latencyMs;
}
