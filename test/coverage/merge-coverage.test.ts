// The suite's coverage report (scripts/coverage): one TypeScript file run under two compilers —
// tsx, as `lpx` child processes load it, and TypeScript's own transpiler, as tap's loader does —
// must report what both runs executed, and the same totals whatever order the files come in.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import type { CoverageMap } from 'istanbul-lib-coverage';
import { mergeCoverage } from '../../scripts/coverage/merge-coverage.js';
import { rankShapes, splitByShape, type ProcessCoverage } from '../../scripts/coverage/split-by-shape.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

const moduleSource = `export function viaFirst(n: number): number {
  if (n > 0) {
    return n * 2;
  }
  return -n;
}

export function viaSecond(label: string): string {
  const loud: boolean = label.length > 3;
  return loud ? label.toUpperCase() : label;
}

export class Holder {
  value: number = 1;
  read(): number {
    return this.value;
  }
}

export function neverCalled(): number {
  return 0;
}
`;

// A loader that compiles .ts with TypeScript's transpileModule and an inline source map: a second
// compiled shape of the same file, as tap's ts-node loader makes.
const typescriptHooks = (typescriptUrl: string): string => `
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
const ts = (await import(${JSON.stringify(typescriptUrl)})).default;
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const out = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true, inlineSources: true, useDefineForClassFields: true },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
`;

interface Workspace {
  readonly dir: string;
  readonly coverageDir: string;
}

async function measuredTwice(t: Test): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-coverage-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const coverageDir = join(dir, 'coverage');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(join(dir, 'shape.ts'), moduleSource);
  await writeFile(join(dir, 'hooks.mjs'), typescriptHooks(pathToFileURL(require.resolve('typescript')).href));
  await writeFile(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  // Node's own coverage output. Under `tap` the children also get tap's processinfo loader (it wraps
  // child_process); told not to collect, it leaves the coverage to NODE_V8_COVERAGE.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_V8_COVERAGE: coverageDir, _TAPJS_PROCESSINFO_COVERAGE_: '0' };
  const shape = pathToFileURL(join(dir, 'shape.ts')).href;
  await run(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', `const m = await import(${JSON.stringify(shape)}); m.viaFirst(2);`], { cwd: dir, env });
  await run(process.execPath, ['--import', './register.mjs', '--input-type=module', '-e', `const m = await import(${JSON.stringify(shape)}); m.viaSecond('abcd'); new m.Holder().read();`], { cwd: dir, env });
  return { dir, coverageDir };
}

function shapeFile(map: CoverageMap) {
  const path = map.files().find((file) => file.endsWith('shape.ts'));
  if (path === undefined) throw new Error(`shape.ts is not in the report: ${map.files().join(', ')}`);
  return map.fileCoverageFor(path);
}

t.test('the two runs are two compiled shapes of one URL', async (t) => {
  const { coverageDir } = await measuredTwice(t);
  const { readFile } = await import('node:fs/promises');
  const covs: ProcessCoverage[] = [];
  for (const name of await readdir(coverageDir)) covs.push(JSON.parse(await readFile(join(coverageDir, name), 'utf8')) as ProcessCoverage);
  const shapes = [...rankShapes(covs)].find(([url]) => url.endsWith('shape.ts'))?.[1];
  t.equal(shapes?.size, 2, 'tsx and TypeScript compile the file differently');
  t.same([...(shapes?.values() ?? [])].sort(), [0, 1], 'each shape has its own rank');
});

t.test('the merged report holds what each compiler\'s run executed', async (t) => {
  const { dir, coverageDir } = await measuredTwice(t);
  const map = await mergeCoverage({ coverageDir, scratchDir: join(dir, 'by-shape'), projectRoot: dir });
  const file = shapeFile(map);
  const hitsByName = new Map<string, number>();
  for (const [id, fn] of Object.entries(file.fnMap)) hitsByName.set(fn.name, (hitsByName.get(fn.name) ?? 0) + (file.f[id] ?? 0));
  t.ok((hitsByName.get('viaFirst') ?? 0) > 0, 'viaFirst ran under tsx');
  t.ok((hitsByName.get('viaSecond') ?? 0) > 0, 'viaSecond ran under the TypeScript loader');
  t.ok((hitsByName.get('read') ?? 0) > 0, 'Holder.read ran under the TypeScript loader');
  const lines = file.getLineCoverage();
  t.ok((lines[3] ?? 0) > 0, '`return n * 2` (tsx run) is covered');
  t.equal(lines[21], 0, 'the body of a function neither process called is not covered');
  t.equal(hitsByName.get('neverCalled'), 0, 'nor is the function');
  t.ok((lines[10] ?? 0) > 0, 'the line of the conditional (TypeScript run) is covered');
  t.equal(file.toSummary().lines.total, moduleSource.split('\n').length - 1, 'one line entry per source line, not one per shape');
  const names = Object.values(file.fnMap).map((fn) => fn.name);
  t.equal(names.filter((name) => name === 'viaFirst').length, 1, 'a function both shapes have is counted once');
  t.notOk(names.includes('__name'), 'the structure is TypeScript\'s line-preserving shape, without esbuild\'s helpers');
});

t.test('the totals do not depend on the order of the coverage files', async (t) => {
  const { dir, coverageDir } = await measuredTwice(t);
  const first = await mergeCoverage({ coverageDir, scratchDir: join(dir, 'by-shape'), projectRoot: dir });
  // Rename the files so that they sort the other way round.
  const names = (await readdir(coverageDir)).sort();
  for (const [index, name] of names.entries()) await rename(join(coverageDir, name), join(coverageDir, `${String(names.length - index).padStart(3, '0')}-${name}`));
  t.not((await readdir(coverageDir)).sort()[0], `001-${names[0]}`, 'the first file is now another one');
  const second = await mergeCoverage({ coverageDir, scratchDir: join(dir, 'by-shape'), projectRoot: dir });
  t.same(shapeFile(second).toJSON(), shapeFile(first).toJSON());
  t.same(second.getCoverageSummary().toJSON(), first.getCoverageSummary().toJSON());
});

t.test('a coverage directory without process coverage gives no groups', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-coverage-empty-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'not-coverage.json'), JSON.stringify({ hello: 'world' }));
  t.same(await splitByShape(dir, join(dir, 'by-shape')), []);
});
