import type { SimulationResult } from './simulate-selection.js';

/** A plain-text table for the CLI: one row per orchestrator, most picked first. */
export function formatSimulation(result: SimulationResult): string {
  const rows = Object.entries(result.picks)
    .sort(([uriA, a], [uriB, b]) => b - a || uriA.localeCompare(uriB))
    .map(([uri, count]) => [uri, String(count), `${result.share[uri] ?? '0.00'}%`]);
  if (result.none > 0) rows.push(['(no pick)', String(result.none), `${((result.none / result.runs) * 100).toFixed(2)}%`]);
  const header = ['orchestrator', 'picks', 'share'];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col]!.length)));
  const line = (cells: string[]) => cells.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  return [
    `algorithm ${result.algorithm}, ${result.runs} runs, seed ${result.seed}`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}
