// Splits V8 process coverage so that every group holds one compiled shape per script URL.
//
// The suite loads the same TypeScript file through two compilers: tap's in-process loader
// (ts-node) and `lpx` child processes (tsx/esbuild). V8 coverage ranges are byte offsets into the
// compiled text, so merging the two at the V8 level (what c8 and tap do) adds up offsets of
// different programs and maps the sum through whichever source map was read last — the totals
// then change with the order of the coverage files' random names. Within one group the offsets
// agree; groups are merged later in istanbul terms (source locations), where that is sound.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ScriptCoverage {
  readonly url: string;
  readonly functions: unknown[];
}

interface SourceMapEntry {
  readonly lineLengths?: readonly number[];
  readonly data?: { readonly mappings?: string; readonly sourcesContent?: readonly (string | null)[] } | null;
}

export interface ProcessCoverage {
  readonly result: ScriptCoverage[];
  readonly 'source-map-cache'?: Record<string, SourceMapEntry>;
}

/** What identifies a compiled shape: the source map (or its absence) a process recorded for the URL. */
export function shapeOf(url: string, cov: ProcessCoverage): string {
  const entry = cov['source-map-cache']?.[url];
  if (entry === undefined) return 'no-source-map';
  return createHash('sha256')
    .update(JSON.stringify([entry.lineLengths ?? null, entry.data?.mappings ?? null]))
    .digest('hex');
}

/** How many lines the compiled text of this shape has; plain scripts count as none. */
function compiledLines(url: string, cov: ProcessCoverage): number {
  return cov['source-map-cache']?.[url]?.lineLengths?.length ?? 0;
}

/** A process's coverage with each script's shape, computed once (hashing a source map is not free). */
interface ShapedCoverage {
  readonly cov: ProcessCoverage;
  readonly shapes: readonly string[];
}

function shaped(cov: ProcessCoverage): ShapedCoverage {
  return { cov, shapes: cov.result.map((script) => shapeOf(script.url, cov)) };
}

/**
 * For each URL, its shapes ranked. First the shape whose compiled text keeps the most lines: tsx
 * emits whitespace-minified code, whose block ranges map back to the middle of source lines, while
 * TypeScript's emit keeps the source's lines and maps them one to one; then the most common shape;
 * ties by shape key — so the ranking depends only on the data, never on the order of the files.
 */
export function rankShapes(covs: readonly ProcessCoverage[]): Map<string, Map<string, number>> {
  return rank(covs.map(shaped));
}

function rank(files: readonly ShapedCoverage[]): Map<string, Map<string, number>> {
  const seen = new Map<string, Map<string, { count: number; lines: number }>>();
  for (const { cov, shapes: shapeList } of files) {
    cov.result.forEach((script, index) => {
      const shapes = seen.get(script.url) ?? new Map<string, { count: number; lines: number }>();
      seen.set(script.url, shapes);
      const shape = shapeList[index]!;
      const known = shapes.get(shape);
      if (known === undefined) shapes.set(shape, { count: 1, lines: compiledLines(script.url, cov) });
      else known.count += 1;
    });
  }
  const ranks = new Map<string, Map<string, number>>();
  for (const [url, shapes] of seen) {
    const ordered = [...shapes].sort(
      ([keyA, a], [keyB, b]) => b.lines - a.lines || b.count - a.count || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0),
    );
    ranks.set(url, new Map(ordered.map(([shape], position) => [shape, position])));
  }
  return ranks;
}

/**
 * tsx records `sourcesContent: [null]`; v8-to-istanbul then takes null for the original text and
 * maps the whole file onto one line. Without the field it reads the source from disk — the same
 * checkout the suite just ran.
 */
function withReadableSources(entry: SourceMapEntry): SourceMapEntry {
  const data = entry.data;
  if (data?.sourcesContent === undefined || data.sourcesContent.every((text) => typeof text === 'string')) return entry;
  const { sourcesContent: _unreadable, ...rest } = data;
  return { ...entry, data: rest };
}

/** The part of one process's coverage whose scripts have the given rank. */
function slice({ cov, shapes }: ShapedCoverage, wanted: number, ranks: Map<string, Map<string, number>>): ProcessCoverage | undefined {
  const result = cov.result.filter((script, index) => ranks.get(script.url)?.get(shapes[index]!) === wanted);
  if (result.length === 0) return undefined;
  const maps = cov['source-map-cache'];
  if (maps === undefined) return { result };
  const kept: Record<string, SourceMapEntry> = {};
  for (const script of result) {
    const entry = maps[script.url];
    if (entry !== undefined) kept[script.url] = withReadableSources(entry);
  }
  return { result, 'source-map-cache': kept };
}

/**
 * Reads every process coverage file in `from` and writes its scripts into `into/<rank>/` by the
 * rank of their shape. Returns the group directories, rank 0 first.
 */
export async function splitByShape(from: string, into: string): Promise<string[]> {
  const names = (await readdir(from)).filter((name) => name.endsWith('.json')).sort();
  const files: (ShapedCoverage & { name: string })[] = [];
  for (const name of names) {
    const parsed = JSON.parse(await readFile(join(from, name), 'utf8')) as Partial<ProcessCoverage>;
    if (Array.isArray(parsed.result)) files.push({ name, ...shaped(parsed as ProcessCoverage) });
  }
  const ranks = rank(files);
  const deepest = Math.max(0, ...[...ranks.values()].map((shapes) => shapes.size));
  await rm(into, { recursive: true, force: true });
  const groups: string[] = [];
  for (let position = 0; position < deepest; position += 1) {
    const dir = join(into, String(position));
    await mkdir(dir, { recursive: true });
    for (const file of files) {
      const part = slice(file, position, ranks);
      if (part !== undefined) await writeFile(join(dir, file.name), JSON.stringify(part));
    }
    groups.push(dir);
  }
  return groups;
}
