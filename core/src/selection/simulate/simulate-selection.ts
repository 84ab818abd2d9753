import type { SelectionAlgorithm } from '@lpx/sdk';
import { seededRandom } from '@lpx/sdk';
import { snapshotContext, type SelectionSnapshot } from './snapshot.js';

export interface SimulationOptions {
  readonly runs: number;
  readonly seed: number;
}

export interface SimulationResult {
  readonly algorithm: string;
  readonly runs: number;
  readonly seed: number;
  /** First picks per candidate uri; every candidate is listed, zero included. */
  readonly picks: Record<string, number>;
  /** picks / runs as a percentage with two decimals, e.g. "70.12". */
  readonly share: Record<string, string>;
  /** Runs in which the algorithm picked no one (everyone filtered out). */
  readonly none: number;
}

/**
 * Replays one snapshot through an algorithm `runs` times with one seeded
 * random source, counting whom it picks first — the orchestrator a gateway
 * would send the job to. Same seed, same counts.
 */
export function simulateSelection(algorithm: SelectionAlgorithm, snapshot: SelectionSnapshot, options: SimulationOptions): SimulationResult {
  if (!Number.isSafeInteger(options.runs) || options.runs < 1) throw new RangeError(`runs must be a positive integer, got ${options.runs}`);
  const context = snapshotContext(snapshot, seededRandom(options.seed));
  const picks: Record<string, number> = Object.fromEntries(snapshot.candidates.map((c) => [c.uri, 0]));
  let none = 0;
  for (let run = 0; run < options.runs; run++) {
    const first = algorithm.select(snapshot.candidates, context)[0];
    if (first === undefined) none++;
    else picks[first.uri] = (picks[first.uri] ?? 0) + 1;
  }
  const share = Object.fromEntries(Object.entries(picks).map(([uri, count]) => [uri, ((count / options.runs) * 100).toFixed(2)]));
  return { algorithm: algorithm.name, runs: options.runs, seed: options.seed, picks, share, none };
}
