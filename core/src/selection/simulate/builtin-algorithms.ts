import type { SelectionAlgorithm } from '@lpx/sdk';
import { simulationErrors } from './simulation-errors.js';

type AlgorithmClass = new (options?: Record<string, unknown>) => SelectionAlgorithm;

interface BuiltinAlgorithm {
  readonly pluginId: string;
  readonly packageName: string;
  readonly exportName: string;
}

/**
 * The selection plugins that ship with lpx, by algorithm name. Core loads them
 * by package name at run time: plugins never import core, and core does not
 * need them to build.
 */
export const BUILTIN_SELECTION_ALGORITHMS: Readonly<Record<string, BuiltinAlgorithm>> = Object.freeze({
  probability: { pluginId: 'selection-stake', packageName: '@lpx/plugin-selection-stake', exportName: 'ProbabilitySelectionAlgorithm' },
  'min-ls': { pluginId: 'selection-latency', packageName: '@lpx/plugin-selection-latency', exportName: 'MinLSSelectionAlgorithm' },
  live: { pluginId: 'selection-live', packageName: '@lpx/plugin-selection-live', exportName: 'LiveSelectionAlgorithm' },
});

/** Accepts an algorithm name (`probability`) or its plugin id (`selection-stake`). */
export async function loadBuiltinAlgorithm(name: string, options: Record<string, unknown> = {}): Promise<SelectionAlgorithm> {
  const entry = BUILTIN_SELECTION_ALGORITHMS[name] ?? Object.values(BUILTIN_SELECTION_ALGORITHMS).find((a) => a.pluginId === name);
  if (!entry) {
    const known = Object.entries(BUILTIN_SELECTION_ALGORITHMS).map(([algorithm, a]) => `${algorithm} (${a.pluginId})`);
    throw simulationErrors.UNKNOWN_ALGORITHM.create(`no built-in selection algorithm "${name}"; known: ${known.join(', ')}`);
  }
  const module = (await import(entry.packageName)) as Record<string, unknown>;
  const Algorithm = module[entry.exportName] as AlgorithmClass | undefined;
  if (typeof Algorithm !== 'function') throw simulationErrors.UNKNOWN_ALGORITHM.create(`${entry.packageName} does not export ${entry.exportName}`);
  return new Algorithm(options);
}
