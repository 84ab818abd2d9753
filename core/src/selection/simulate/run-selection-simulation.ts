import { readFile } from 'node:fs/promises';
import { loadBuiltinAlgorithm } from './builtin-algorithms.js';
import { formatSimulation } from './format-simulation.js';
import { simulateSelection, type SimulationResult } from './simulate-selection.js';
import { simulationErrors } from './simulation-errors.js';
import { parseSnapshot } from './snapshot.js';

export interface RunSelectionSimulationOptions {
  readonly snapshotFile: string;
  /** `probability`, `min-ls`, `live`, or a selection plugin id. */
  readonly algorithmName: string;
  readonly runs: number;
  readonly seed?: number;
  /** The algorithm's plugin config (e.g. `{ stakeWeight: 1, randWeight: 0 }`); defaults otherwise. */
  readonly algorithmConfig?: Record<string, unknown>;
}

export interface SelectionSimulationReport {
  readonly result: SimulationResult;
  /** The table `lpx selection simulate` prints. */
  readonly text: string;
}

/** What `lpx selection simulate --snapshot FILE --algorithm NAME --runs N [--seed S]` runs. */
export async function runSelectionSimulation(options: RunSelectionSimulationOptions): Promise<SelectionSimulationReport> {
  let raw: string;
  try {
    raw = await readFile(options.snapshotFile, 'utf8');
  } catch (error) {
    throw simulationErrors.SNAPSHOT_INVALID.create(`cannot read snapshot ${options.snapshotFile}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw simulationErrors.SNAPSHOT_INVALID.create(`${options.snapshotFile} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const snapshot = parseSnapshot(json, options.snapshotFile);
  const algorithm = await loadBuiltinAlgorithm(options.algorithmName, options.algorithmConfig);
  const result = simulateSelection(algorithm, snapshot, { runs: options.runs, seed: options.seed ?? 1 });
  return { result, text: formatSimulation(result) };
}
