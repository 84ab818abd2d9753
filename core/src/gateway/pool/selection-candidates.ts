/** The bridge from pool entries to a plugin's selection algorithm and back. */
import type { RationalPrice, SelectionAlgorithm, SelectionCandidate } from '@lpx/sdk';
import type { PoolEntry } from './pool-options.js';

/** Plain data only: algorithms come from plugins and must not reach into OrchestratorInfo. */
export function toSelectionCandidates(entries: readonly PoolEntry[]): SelectionCandidate[] {
  return entries.map((entry) => ({
    uri: entry.uri,
    address: entry.address,
    latencyMs: entry.latencyMs,
    ...(entry.stake !== undefined ? { stake: entry.stake } : {}),
    ...(entry.price !== undefined ? { price: { pricePerUnit: entry.price.pricePerUnit, pixelsPerUnit: entry.price.pixelsPerUnit } } : {}),
  }));
}

export interface RankOptions {
  readonly capabilityId: string;
  readonly model?: string;
  readonly maxPrice?: RationalPrice;
  readonly random?: () => number;
}

/** The algorithm's first choice, mapped back to its entry (algorithms may drop candidates, never invent them). */
export function firstChoice(entries: readonly PoolEntry[], algorithm: SelectionAlgorithm, options: RankOptions): PoolEntry | undefined {
  if (entries.length === 0) return undefined;
  const ranked = algorithm.select(toSelectionCandidates(entries), {
    capabilityId: options.capabilityId,
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.maxPrice !== undefined ? { maxPrice: options.maxPrice } : {}),
    ...(options.random !== undefined ? { random: options.random } : {}),
  });
  const byUri = new Map(entries.map((e) => [e.uri, e]));
  for (const candidate of ranked) {
    const entry = byUri.get(candidate.uri);
    if (entry !== undefined) return entry;
  }
  return undefined;
}
