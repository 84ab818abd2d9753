// The suite's coverage report and floors (ADR 0009, ADR 0069), run after tap:
//   node --import tsx scripts/coverage/report.ts [text|text-summary|html|lcov ...]
// tap collects the V8 coverage of every test process and its children into .tap/coverage; its own
// report merges files compiled by different loaders at the V8 level, so its totals change with the
// order of the files. This report merges them soundly (merge-coverage.ts) and checks the floors.
import { resolve } from 'node:path';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import type { ReportType } from 'istanbul-reports';
import { mergeCoverage } from './merge-coverage.js';

/**
 * Floors a little under what a full run measures (2026-12-03, session 15, clean clone: statements
 * and lines 97.73, branches 86.70, functions 95.64); a drop below one fails `npm test`.
 */
export const coverageFloors = { statements: 95, branches: 84, functions: 93, lines: 95 } as const;

const projectRoot = resolve(import.meta.dirname, '..', '..');
const reporters = (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['text', 'text-summary']) as ReportType[];

const map = await mergeCoverage({
  coverageDir: resolve(projectRoot, '.tap/coverage'),
  scratchDir: resolve(projectRoot, '.tap/coverage-by-shape'),
  projectRoot,
});
if (map.files().length === 0) {
  console.error('coverage: .tap/coverage holds no coverage of project files — run `tap` first');
  process.exit(1);
}
const context = libReport.createContext({ dir: resolve(projectRoot, '.tap/report'), coverageMap: map });
for (const reporter of reporters) reports.create(reporter, { skipFull: true }).execute(context);

const summary = map.getCoverageSummary();
const shortfalls = (Object.keys(coverageFloors) as (keyof typeof coverageFloors)[])
  .filter((metric) => summary[metric].pct < coverageFloors[metric])
  .map((metric) => `${metric} ${summary[metric].pct}% < floor ${coverageFloors[metric]}%`);
if (shortfalls.length > 0) {
  console.error(`coverage below its floors: ${shortfalls.join('; ')}`);
  process.exitCode = 1;
} else {
  console.log(`coverage floors met (${Object.entries(coverageFloors).map(([metric, floor]) => `${metric} ≥ ${floor}`).join(', ')})`);
}
