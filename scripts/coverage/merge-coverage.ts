// Turns a directory of V8 process coverage into one istanbul coverage map that does not depend on
// the order of the files. Each shape group is merged by c8 (V8 offsets agree within a group); the
// best-mapped shape of a file (split-by-shape.ts) gives its structure, and the other shapes' hits
// are folded onto it by source line (fold-coverage.ts).
import { Report } from 'c8';
import libCoverage, { type CoverageMap, type FileCoverageData } from 'istanbul-lib-coverage';
import { foldCoverage } from './fold-coverage.js';
import { splitByShape } from './split-by-shape.js';

/** c8 computes this map for its own report; its typings leave the method out. */
interface MapsCoverage {
  getCoverageMapFromAllCoverageFiles(): Promise<CoverageMap>;
}

export interface MergeOptions {
  /** The V8 coverage directory (tap writes `.tap/coverage`). */
  readonly coverageDir: string;
  /** Scratch directory for the shape groups; replaced on every run. */
  readonly scratchDir: string;
  /** The directory that c8's default excludes (tests, node_modules) are taken against. */
  readonly projectRoot: string;
}

async function groupMap(tempDirectory: string): Promise<CoverageMap> {
  const report = new Report({ reporter: [], tempDirectory, excludeNodeModules: true }) as unknown as MapsCoverage;
  return report.getCoverageMapFromAllCoverageFiles();
}

export async function mergeCoverage(options: MergeOptions): Promise<CoverageMap> {
  const groups = await splitByShape(options.coverageDir, options.scratchDir);
  const files = new Map<string, FileCoverageData>();
  const cwd = process.cwd();
  // c8 takes its include/exclude globs against the working directory, as in tap's own report.
  process.chdir(options.projectRoot);
  try {
    for (const group of groups) {
      const map = await groupMap(group);
      for (const path of map.files()) {
        const data = map.fileCoverageFor(path).toJSON() as FileCoverageData;
        const base = files.get(path);
        files.set(path, base === undefined ? data : foldCoverage(base, data));
      }
    }
  } finally {
    process.chdir(cwd);
  }
  return libCoverage.createCoverageMap(Object.fromEntries(files));
}
