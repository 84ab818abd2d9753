/**
 * The compiled JS mirror (ADR 0063): js-mirror.mjs against a small workspace of its own, and the
 * real `lpx` launcher under `--conditions=lpx-js` against the repo's mirror.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { buildMirror, mirroredPackages, mirrorState, REPO_ROOT } from '../../bin/js-mirror.mjs';
import { freshen, withoutCondition } from '../../bin/mirror-launch.mjs';

const run = promisify(execFile);
const LPX_BIN = fileURLToPath(new URL('../../bin/lpx.mjs', import.meta.url));

/** A workspace with one package `fx-a`: a relative import, a JSON import from outside src/, import.meta.url. */
function fixture(t: Test): string {
  const root = mkdtempSync(join(tmpdir(), 'lpx-js-mirror-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ private: true, type: 'module', workspaces: ['pkgs/*'] }));
  cpSync(join(REPO_ROOT, 'tsconfig.json'), join(root, 'tsconfig.json'));
  const pkg = join(root, 'pkgs', 'a');
  mkdirSync(join(pkg, 'src', 'sub'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'fx-a', type: 'module', exports: { '.': { 'lpx-js': './.lpx-js/src/index.js', default: './src/index.ts' } } }));
  writeFileSync(join(pkg, 'data.json'), JSON.stringify({ answer: 42 }));
  writeFileSync(
    join(pkg, 'src', 'index.ts'),
    [
      "import data from '../data.json' with { type: 'json' };",
      "import { twice } from './sub/twice.js';",
      'export const answer: number = twice(data.answer / 2);',
      'export const here: string = import.meta.url;',
      '',
    ].join('\n'),
  );
  writeFileSync(join(pkg, 'src', 'sub', 'twice.ts'), 'export function twice(n: number): number {\n  return n * 2;\n}\n');
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(pkg, join(root, 'node_modules', 'fx-a'), 'dir');
  return root;
}

/** Moves a source's mtime ahead, as an edit would. */
function touchLater(file: string): void {
  const later = new Date(Date.now() + 5_000);
  utimesSync(file, later, later);
}

t.test('a missing mirror is not fresh; a build makes it fresh and Node runs it under the condition', async (t) => {
  const root = fixture(t);
  t.same(mirrorState(root), { fresh: false, stale: [{ pkg: 'pkgs/a', reason: 'no mirror' }] });
  t.same(await buildMirror(root), { compiled: 2, removed: 0, packages: 1 });
  t.same(mirrorState(root), { fresh: true, stale: [] });

  const script = "const m = await import('fx-a'); console.log(JSON.stringify({ answer: m.answer, here: m.here }));";
  const compiled = await run(process.execPath, ['--conditions=lpx-js', '--input-type=module', '-e', script], { cwd: root });
  const source = pathToFileURL(join(root, 'pkgs', 'a', 'src', 'index.ts')).href;
  t.same(JSON.parse(compiled.stdout), { answer: 42, here: source }, 'JSON from outside src/ is found; import.meta.url is the source file');

  const out = readFileSync(join(root, 'pkgs', 'a', '.lpx-js', 'src', 'index.js'), 'utf8');
  const map = JSON.parse(Buffer.from(/sourceMappingURL=data:application\/json;base64,(\S+)/.exec(out)![1]!, 'base64').toString('utf8')) as { sources: string[] };
  t.same(map.sources, ['../../src/index.ts'], 'the inline source map points at the TypeScript source');
});

t.test("an import that reaches into another package's src/ runs that package's mirror, not its TypeScript", async (t) => {
  // The demo imports the stream example's worker this way; plain Node cannot load the .ts it names.
  const root = fixture(t);
  const b = join(root, 'pkgs', 'b');
  mkdirSync(join(b, 'src'), { recursive: true });
  writeFileSync(join(b, 'package.json'), JSON.stringify({ name: 'fx-b', type: 'module', exports: { '.': { 'lpx-js': './.lpx-js/src/index.js', default: './src/index.ts' } } }));
  writeFileSync(join(b, 'src', 'index.ts'), "import { twice } from '../../a/src/sub/twice.js';\nexport const four: number = twice(2);\n");
  t.same(await buildMirror(root), { compiled: 3, removed: 0, packages: 2 });
  const out = readFileSync(join(b, '.lpx-js', 'src', 'index.js'), 'utf8');
  t.match(out, /from "\.\.\/\.\.\/\.\.\/a\/\.lpx-js\/src\/sub\/twice\.js"/);
  const ran = await run(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(join(b, '.lpx-js', 'src', 'index.js')).href)}); console.log(m.four);`], { cwd: root });
  t.equal(ran.stdout.trim(), '4', 'plain node runs it');
});

t.test('a source edited after the build makes the mirror stale; the rebuild compiles only that file', async (t) => {
  const root = fixture(t);
  await buildMirror(root);
  const twice = join(root, 'pkgs', 'a', 'src', 'sub', 'twice.ts');
  writeFileSync(twice, 'export function twice(n: number): number {\n  return n * 2 + 1;\n}\n');
  touchLater(twice);
  t.same(mirrorState(root), { fresh: false, stale: [{ pkg: 'pkgs/a', reason: 'sub/twice.ts changed' }] });
  t.same(await buildMirror(root), { compiled: 1, removed: 0, packages: 1 });
  t.match(readFileSync(join(root, 'pkgs', 'a', '.lpx-js', 'src', 'sub', 'twice.js'), 'utf8'), /n \* 2 \+ 1/);
  t.same(mirrorState(root).fresh, true);
});

t.test('added and removed sources: stale until rebuilt, and a removed source leaves no output behind', async (t) => {
  const root = fixture(t);
  await buildMirror(root);
  const extra = join(root, 'pkgs', 'a', 'src', 'extra.ts');
  writeFileSync(extra, 'export const extra = 1;\n');
  t.equal(mirrorState(root).fresh, false);
  await buildMirror(root);
  t.ok(existsSync(join(root, 'pkgs', 'a', '.lpx-js', 'src', 'extra.js')));
  rmSync(extra);
  t.same(mirrorState(root).stale, [{ pkg: 'pkgs/a', reason: 'a source was added or removed' }]);
  t.same(await buildMirror(root), { compiled: 0, removed: 1, packages: 1 });
  t.notOk(existsSync(join(root, 'pkgs', 'a', '.lpx-js', 'src', 'extra.js')));
});

t.test('a changed tsconfig makes every file stale', async (t) => {
  const root = fixture(t);
  await buildMirror(root);
  writeFileSync(join(root, 'tsconfig.json'), readFileSync(join(root, 'tsconfig.json'), 'utf8').replace('"strict": true', '"strict": false'));
  t.match(mirrorState(root).stale, [{ pkg: 'pkgs/a', reason: /another compiler, tsconfig/ }]);
  t.same((await buildMirror(root)).compiled, 2);
});

t.test('the launcher uses the mirror only fresh: rebuilt when stale, tsx when it cannot be rebuilt', async (t) => {
  const fresh = { fresh: true, stale: [] };
  const stale = { fresh: false, stale: [{ pkg: 'core', reason: 'cli/io.ts changed' }] };
  const lines: string[] = [];
  t.equal(await freshen({ state: () => fresh, build: () => Promise.reject(new Error('not called')) }), undefined);
  let states = [stale, fresh];
  t.equal(await freshen({ state: () => states.shift()!, build: () => Promise.resolve({ compiled: 1 }), trace: (l) => lines.push(l) }), undefined);
  t.same(lines, ['rebuilt 1 file(s): core (cli/io.ts changed)']);
  t.match(await freshen({ state: () => stale, build: () => Promise.reject(new Error('EROFS: read-only file system')) }), /stale and could not be rebuilt: EROFS/);
  states = [stale, stale];
  t.match(await freshen({ state: () => states.shift()!, build: () => Promise.resolve({ compiled: 0 }) }), /still stale after a rebuild: core \(cli\/io\.ts changed\)/);
  t.same(withoutCondition(['--conditions=lpx-js', '--inspect', '-C', 'lpx-js', '--conditions', 'other', '-C=lpx-js']), ['--inspect', '--conditions', 'other']);
});

/** `lpx …` through the real launcher; LPX_LAUNCH_TRACE says which way it ran. */
async function lpx(nodeArgs: string[], args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  const options = { env: { ...process.env, LPX_LAUNCH_TRACE: '1', ...env }, cwd: REPO_ROOT, maxBuffer: 8 * 1024 * 1024 };
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeArgs, LPX_BIN, ...args], options);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const MIRROR = ['--conditions=lpx-js'];

t.test("every workspace package's TypeScript export has its mirror twin under the lpx-js condition", async (t) => {
  const packages = mirroredPackages();
  t.ok(packages.includes('sdk') && packages.includes('core') && packages.includes('plugins/trickle'));
  for (const pkg of packages) {
    const { exports } = JSON.parse(readFileSync(join(REPO_ROOT, pkg, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    for (const [subpath, target] of Object.entries(exports)) {
      const { default: source, 'lpx-js': compiled } = target as { default?: string; 'lpx-js'?: string };
      // A bare string export would send every importer under the condition to the .ts file, where Node has no loader.
      t.equal(compiled, source?.replace(/^\.\/src\//, './.lpx-js/src/').replace(/\.ts$/, '.js'), `${pkg} ${subpath}`);
    }
  }
});

t.test('through the mirror, lpx prints what it prints through tsx', async (t) => {
  for (const args of [['--version'], ['--help'], ['config', 'check', 'examples/configs/minimal.yaml'], ['frobnicate']]) {
    const viaTsx = await lpx([], args);
    const viaMirror = await lpx(MIRROR, args);
    t.equal(viaMirror.stdout, viaTsx.stdout, `lpx ${args.join(' ')}: same output`);
    t.equal(viaMirror.code, viaTsx.code, `lpx ${args.join(' ')}: same exit code`);
    if (args[0] !== '--version') {
      t.match(viaTsx.stderr, /^\[lpx\] tsx$/m);
      t.match(viaMirror.stderr, /^\[lpx\] mirror$/m);
    }
  }
});

t.test('a source newer than the mirror is recompiled before the mirror runs', async (t) => {
  const source = join(REPO_ROOT, 'core', 'src', 'cli', 'io.ts');
  touchLater(source);
  const result = await lpx(MIRROR, ['--help']);
  t.equal(result.code, 0);
  t.match(result.stderr, /\[lpx\] rebuilt 1 file\(s\): core \(cli\/io\.ts changed\)\n\[lpx\] mirror/);
  t.same(mirrorState().fresh, true);
});

t.test('a missing package mirror is rebuilt; LPX_JS_MIRROR=0 runs the command through tsx in a child', async (t) => {
  const mirror = join(REPO_ROOT, 'registry', '.lpx-js');
  const aside = mkdtempSync(join(tmpdir(), 'lpx-js-aside-'));
  renameSync(mirror, join(aside, 'm'));
  t.teardown(() => {
    if (!existsSync(mirror)) renameSync(join(aside, 'm'), mirror);
    rmSync(aside, { recursive: true, force: true });
  });
  const rebuilt = await lpx(MIRROR, ['--help']);
  t.match(rebuilt.stderr, /\[lpx\] rebuilt \d+ file\(s\): registry \(no mirror\)\n\[lpx\] mirror/);
  t.ok(existsSync(join(mirror, 'src', 'index.js')));

  const off = await lpx(MIRROR, ['frobnicate'], { LPX_JS_MIRROR: '0' });
  t.match(off.stderr, /\[lpx\] tsx \(LPX_JS_MIRROR=0\)\n\[lpx\] tsx\n/, 'the child runs without the condition');
  t.equal(off.code, (await lpx([], ['frobnicate'])).code, "the child's exit code is the command's");
  t.not(off.code, 0);
});

t.test('under the mirror a plugin whose module is a .ts file still loads (tsx registered for it)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-js-ts-plugin-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'node.yaml');
  const plugin = join(REPO_ROOT, 'examples', 'echo-plugin', 'src', 'index.ts');
  writeFileSync(config, `node:\n  roles: [worker]\n  dataDir: ${join(dir, 'data')}\nplugins:\n  example-echo:\n    module: '${plugin}'\n`);
  const result = await lpx(MIRROR, ['config', 'check', config]);
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /^ok: .*plugins: example-echo\)/m);
  t.match(result.stderr, /^\[lpx\] mirror$/m);
});
