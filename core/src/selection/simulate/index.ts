export { BUILTIN_SELECTION_ALGORITHMS, loadBuiltinAlgorithm } from './builtin-algorithms.js';
export { formatSimulation } from './format-simulation.js';
export { runSelectionSimulation, type RunSelectionSimulationOptions, type SelectionSimulationReport } from './run-selection-simulation.js';
export { seededRandom } from '@lpx/sdk';
export { simulateSelection, type SimulationOptions, type SimulationResult } from './simulate-selection.js';
export { simulationErrors } from './simulation-errors.js';
export { parseSnapshot, snapshotContext, type SelectionSnapshot } from './snapshot.js';
