/** The bridge from pool entries to a plugin's selection algorithm and back. */
import { firstChoiceOf, type RationalPrice, type SelectionAlgorithm, type SelectionCandidate, type SelectionContext } from '@lpx/sdk';
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
  /** Uris to skip (a retry's tried ones): handed to the algorithm's `firstExcluding`, else filtered out here. */
  readonly exclude?: ReadonlySet<string>;
}

/** The algorithm's first choice (its `first`, else the head of its ordering), mapped back to its entry. */
export function firstChoice(entries: readonly PoolEntry[], algorithm: SelectionAlgorithm, options: RankOptions): PoolEntry | undefined {
  if (entries.length === 0) return undefined;
  return firstChoiceAmong(toSelectionCandidates(entries), new Map(entries.map((e) => [e.uri, e])), algorithm, options);
}

/** As `firstChoice`, over candidates and a way back prepared once (the pool keeps both per usable set). */
export function firstChoiceAmong(candidates: readonly SelectionCandidate[], byUri: ReadonlyMap<string, PoolEntry>, algorithm: SelectionAlgorithm, options: RankOptions): PoolEntry | undefined {
  if (candidates.length === 0) return undefined;
  const context: SelectionContext = {
    capabilityId: options.capabilityId,
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.maxPrice !== undefined ? { maxPrice: options.maxPrice } : {}),
    ...(options.random !== undefined ? { random: options.random } : {}),
  };
  const chosen = firstChoiceOf(algorithm, candidates, context, options.exclude);
  // Algorithms may drop candidates, never invent them: an unknown uri is no choice.
  // An algorithm that ignored `exclude` gets no say either: the kernel never returns an excluded uri.
  return chosen === undefined || options.exclude?.has(chosen.uri) === true ? undefined : byUri.get(chosen.uri);
}
