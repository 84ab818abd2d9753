// The compiled JS mirror (ADR 0063): every workspace package's src/**/*.ts
// transformed one file at a time by esbuild into <pkg>/.lpx-js/src/**/*.js,
// the same transform tsx applies at run time, done once ahead. Node finds the
// mirror through the "lpx-js" export condition (`node --conditions=lpx-js`).
// Plain JS with no imports beyond node: and esbuild (loaded only to build),
// because the launcher runs the freshness check before anything else.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MIRROR_DIR = '.lpx-js';
export const MIRROR_CONDITION = 'lpx-js';
const STAMP = 'stamp.json';
const FORMAT = 1;
// Node 20.10 is the first 20.x with import attributes (`with { type: 'json' }`), which the plugins use.
const TARGET = 'node20.10';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Workspace packages that export TypeScript from src/ (the dashboard is a browser app Vite builds, so it has no exports). */
export function mirroredPackages(root = REPO_ROOT) {
  const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces ?? [];
  const dirs = workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`)
      .sort();
  });
  return dirs.filter((dir) => {
    const manifest = join(root, dir, 'package.json');
    if (!existsSync(manifest) || !existsSync(join(root, dir, 'src'))) return false;
    return JSON.parse(readFileSync(manifest, 'utf8')).exports !== undefined;
  });
}

/** What the output depends on besides the sources: this file, the tsconfig, esbuild's version, the checkout's place. */
export function compilerKey(root = REPO_ROOT) {
  const hash = createHash('sha256');
  hash.update(String(FORMAT)).update('\0').update(root).update('\0');
  hash.update(readFileSync(fileURLToPath(import.meta.url))).update('\0');
  hash.update(readFileSync(join(root, 'tsconfig.json'))).update('\0');
  hash.update(esbuildVersion() ?? 'none');
  return hash.digest('hex');
}

// esbuild is resolved from this file (core's dependency), whatever root is being mirrored.
const require = createRequire(import.meta.url);

function esbuildVersion() {
  try {
    return JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Every src/**\/*.ts of one package (declaration files excepted), as [path relative to src, mtimeMs, size], sorted. */
function sourcesOf(pkgDir) {
  const out = [];
  const walk = (sub) => {
    for (const entry of readdirSync(join(pkgDir, 'src', sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const st = statSync(join(pkgDir, 'src', rel));
        out.push([rel, st.mtimeMs, st.size]);
      }
    }
  };
  walk('');
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function readStamp(pkgDir) {
  try {
    return JSON.parse(readFileSync(join(pkgDir, MIRROR_DIR, STAMP), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why a package's mirror cannot be used as it is, or undefined when it is fresh. */
function staleReason(pkgDir, key, sources) {
  const stamp = readStamp(pkgDir);
  if (stamp === undefined) return 'no mirror';
  if (stamp.key !== key) return 'built by another compiler, tsconfig or checkout';
  const recorded = stamp.files ?? {};
  if (Object.keys(recorded).length !== sources.length) return 'a source was added or removed';
  for (const [rel, mtimeMs, size] of sources) {
    const entry = recorded[rel];
    if (entry === undefined) return `${rel} is new`;
    if (entry[0] !== mtimeMs || entry[1] !== size) return `${rel} changed`;
  }
  return undefined;
}

/**
 * Whether every mirrored package's mirror matches its sources (stat only, no reads of sources).
 * @returns {{ fresh: boolean, stale: { pkg: string, reason: string }[] }}
 */
export function mirrorState(root = REPO_ROOT) {
  const key = compilerKey(root);
  const stale = [];
  for (const pkg of mirroredPackages(root)) {
    const reason = staleReason(join(root, pkg), key, sourcesOf(join(root, pkg)));
    if (reason !== undefined) stale.push({ pkg, reason });
  }
  return { fresh: stale.length === 0, stale };
}

/** tsconfig compiler options esbuild reads per file, as tsx passes them. */
function tsconfigRaw(root) {
  const { compilerOptions = {} } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  return { compilerOptions };
}

// Relative specifiers in import/export statements and dynamic import() of string literals.
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"'\n]*)\2/g;

/**
 * A relative import that leaves src/ (`../plugin.manifest.json`) points at the real file: only src/ is mirrored.
 * One that reaches into another mirrored package's src/ (the demo starts the stream example's worker)
 * points at that package's mirror, since its .ts sources only load through tsx.
 * import.meta.url is defined as the source's URL for the same reason (files read next to the sources).
 */
function rewriteEscapingSpecifiers(code, sourceFile, outFile, srcDir, mirroredSrcDirs) {
  return code.replace(SPECIFIER, (whole, lead, quote, specifier) => {
    let target = resolve(dirname(sourceFile), specifier);
    if (target === srcDir || target.startsWith(srcDir + sep)) return whole;
    const other = mirroredSrcDirs.find((dir) => target.startsWith(dir + sep));
    if (other !== undefined) target = join(dirname(other), MIRROR_DIR, 'src', relative(other, target));
    let rel = relative(dirname(outFile), target).split(sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `${lead}${quote}${rel}${quote}`;
  });
}

function writeAtomically(file, content) {
  mkdirSync(dirname(file), { recursive: true });
  // Parallel builders (several `lpx start` children finding the same stale file) write the same bytes; rename keeps readers whole.
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

function listFiles(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, base) : [relative(base, full).split(sep).join('/')];
  });
}

/**
 * Brings every package's mirror up to date, compiling only sources whose mtime or size changed
 * (all of them when the compiler key changed) and deleting outputs whose source is gone.
 * @returns {Promise<{ compiled: number, removed: number, packages: number }>}
 */
export async function buildMirror(root = REPO_ROOT) {
  const esbuild = await import(pathToFileURL(require.resolve('esbuild')).href);
  const key = compilerKey(root);
  const raw = tsconfigRaw(root);
  let compiled = 0;
  let removed = 0;
  const packages = mirroredPackages(root);
  const mirroredSrcDirs = packages.map((pkg) => join(root, pkg, 'src'));
  for (const pkg of packages) {
    const pkgDir = join(root, pkg);
    const srcDir = join(pkgDir, 'src');
    const outRoot = join(pkgDir, MIRROR_DIR, 'src');
    const sources = sourcesOf(pkgDir);
    const stamp = readStamp(pkgDir);
    const previous = stamp?.key === key ? (stamp.files ?? {}) : {};
    const wanted = new Set(sources.map(([rel]) => rel.replace(/\.ts$/, '.js')));
    for (const rel of listFiles(outRoot)) {
      if (!wanted.has(rel)) {
        rmSync(join(outRoot, rel), { force: true });
        removed += 1;
      }
    }
    const todo = sources.filter(([rel, mtimeMs, size]) => {
      const entry = previous[rel];
      return entry === undefined || entry[0] !== mtimeMs || entry[1] !== size || !existsSync(join(outRoot, rel.replace(/\.ts$/, '.js')));
    });
    await Promise.all(
      todo.map(async ([rel]) => {
        const sourceFile = join(srcDir, rel);
        const outFile = join(outRoot, rel.replace(/\.ts$/, '.js'));
        const result = await esbuild.transform(readFileSync(sourceFile, 'utf8'), {
          loader: 'ts',
          format: 'esm',
          target: TARGET,
          // No keepNames: a single-file transform without minification renames nothing, and its
          // __name calls ran for every closure made (≈ 1 % of a busy gateway's CPU).
          sourcemap: 'inline',
          sourcesContent: false,
          sourcefile: relative(dirname(outFile), sourceFile).split(sep).join('/'),
          tsconfigRaw: raw,
          define: { 'import.meta.url': JSON.stringify(pathToFileURL(sourceFile).href) },
        });
        writeAtomically(outFile, rewriteEscapingSpecifiers(result.code, sourceFile, outFile, srcDir, mirroredSrcDirs));
      }),
    );
    compiled += todo.length;
    const files = Object.fromEntries(sources.map(([rel, mtimeMs, size]) => [rel, [mtimeMs, size]]));
    writeAtomically(join(pkgDir, MIRROR_DIR, STAMP), `${JSON.stringify({ format: FORMAT, key, files })}\n`);
  }
  return { compiled, removed, packages: packages.length };
}

/** Deletes every package's mirror (tests, and `node core/bin/js-mirror.mjs --clean`). */
export function removeMirror(root = REPO_ROOT) {
  for (const pkg of mirroredPackages(root)) rmSync(join(root, pkg, MIRROR_DIR), { recursive: true, force: true });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--clean')) removeMirror();
  else if (process.argv.includes('--check')) {
    const state = mirrorState();
    for (const { pkg, reason } of state.stale) process.stdout.write(`${pkg}: ${reason}\n`);
    process.exitCode = state.fresh ? 0 : 1;
  } else {
    const { compiled, removed, packages } = await buildMirror();
    process.stdout.write(`js mirror: ${compiled} file(s) compiled, ${removed} removed, ${packages} packages\n`);
  }
}
