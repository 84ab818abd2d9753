// Adds the hits of one file's coverage, measured on another compiled shape, onto the coverage
// that gives the file its structure.
//
// Lines are the same in every shape (v8-to-istanbul makes one statement per source line), so they
// add up exactly. Functions and branches are what each compiler made of the source: esbuild adds
// helpers (`__name`, static initialisers) and starts a function one column later than TypeScript.
// istanbul's own merge would count such near-twins twice; here a function or branch of the other
// shape adds its hits to the structure's item on the same source line (functions: same name too),
// and a compiler-made item with no counterpart adds nothing.
import type { FileCoverageData, Range } from 'istanbul-lib-coverage';

type Keyed<T> = Map<string, T[]>;

function byKey<T>(items: Iterable<[T, string]>): Keyed<T> {
  const keyed: Keyed<T> = new Map();
  for (const [item, key] of items) {
    const list = keyed.get(key) ?? [];
    list.push(item);
    keyed.set(key, list);
  }
  return keyed;
}

function lineKey(range: Range): string {
  return `${range.start.line}-${range.end.line}`;
}

/** Returns a copy of `base` with the hits of `other` (same file, another shape) added. */
export function foldCoverage(base: FileCoverageData, other: FileCoverageData): FileCoverageData {
  const s = { ...base.s };
  const statementsByLine = byKey(Object.keys(base.statementMap).map((id) => [id, String(base.statementMap[id]?.start.line)]));
  for (const [id, hits] of Object.entries(other.s)) {
    const line = other.statementMap[id]?.start.line;
    const target = statementsByLine.get(String(line))?.[0];
    if (target !== undefined) s[target] = (s[target] ?? 0) + hits;
  }

  const f = { ...base.f };
  const functions = byKey(Object.entries(base.fnMap).map(([id, fn]) => [id, `${fn.name}@${lineKey(fn.decl)}`]));
  const fnTaken = new Map<string, number>();
  for (const [id, fn] of Object.entries(other.fnMap)) {
    const key = `${fn.name}@${lineKey(fn.decl)}`;
    const nth = fnTaken.get(key) ?? 0;
    fnTaken.set(key, nth + 1);
    const target = functions.get(key)?.[nth];
    if (target !== undefined) f[target] = (f[target] ?? 0) + (other.f[id] ?? 0);
  }

  const b = Object.fromEntries(Object.entries(base.b).map(([id, hits]) => [id, [...hits]]));
  const branches = byKey(Object.entries(base.branchMap).map(([id, branch]) => [id, lineKey(branch.loc)]));
  const branchTaken = new Map<string, number>();
  for (const [id, branch] of Object.entries(other.branchMap)) {
    const key = lineKey(branch.loc);
    const nth = branchTaken.get(key) ?? 0;
    branchTaken.set(key, nth + 1);
    const target = branches.get(key)?.[nth];
    const hits = other.b[id];
    const into = target === undefined ? undefined : b[target];
    if (into === undefined || hits === undefined) continue;
    for (const [index, count] of hits.entries()) if (index < into.length) into[index] = (into[index] ?? 0) + count;
  }

  return { ...base, s, f, b };
}
