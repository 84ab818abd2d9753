/**
 * `lpx sdk pack`: `@lpx/sdk` as an npm tarball a partner project outside this
 * repository can install. The repo's sdk exports its TypeScript source (the
 * workspace runs through tsx); the packed one is compiled — tsc to JS and
 * .d.ts in a staging folder whose package.json points every export at the
 * compiled files — so plain Node imports it. Same name, version and exact
 * dependency pins as sdk/package.json.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { errors } from '@lpx/sdk';
import { sdkPackageDir, sdkPackageJson, type SdkExportTarget } from './sdk-package.js';

const run = promisify(execFile);

export interface SdkPackResult {
  /** Absolute path of `lpx-sdk-<version>.tgz`. */
  readonly tarball: string;
  readonly version: string;
}

/** `./src/x.ts` → the compiled `./dist/x.js` and its `./dist/x.d.ts` (the repo-only `lpx-js` mirror condition is dropped). */
export function compiledExports(exports: Readonly<Record<string, SdkExportTarget>>): Record<string, { types: string; default: string }> {
  return Object.fromEntries(
    Object.entries(exports).map(([key, target]) => {
      const source = typeof target === 'string' ? target : target.default;
      if (!/^\.\/src\/.+\.ts$/.test(source)) throw errors.byoc.SDK_PACK_FAILED.create(`sdk/package.json exports ${key} → ${source}: expected ./src/<path>.ts`);
      const base = source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '');
      return [key, { types: `${base}.d.ts`, default: `${base}.js` }];
    }),
  );
}

export async function packSdk(options: { readonly outDir: string }): Promise<SdkPackResult> {
  const sdkDir = sdkPackageDir();
  const pkg = await sdkPackageJson();
  const staging = await mkdtemp(join(tmpdir(), 'lpx-sdk-pack-'));
  try {
    const require = createRequire(import.meta.url);
    const tsc = require.resolve('typescript/bin/tsc');
    // The repo's compiler settings, emitting; @types come from the repo (the staging folder has none).
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'],
        types: ['node'],
        typeRoots: [join(dirname(dirname(require.resolve('@types/node/package.json'))))],
        strict: true,
        noUncheckedIndexedAccess: true,
        isolatedModules: true,
        verbatimModuleSyntax: true,
        esModuleInterop: true,
        resolveJsonModule: true,
        skipLibCheck: true,
        experimentalDecorators: true,
        declaration: true,
        sourceMap: false,
        rootDir: join(sdkDir, 'src'),
        outDir: join(staging, 'dist'),
      },
      include: [join(sdkDir, 'src', '**', '*.ts')],
    };
    await writeFile(join(staging, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    await run(process.execPath, [tsc, '-p', join(staging, 'tsconfig.json')], { maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string; message: string }) => {
      throw errors.byoc.SDK_PACK_FAILED.create(`compiling the sdk failed: ${(error.stdout ?? '').split('\n').slice(0, 20).join('\n') || error.message}`);
    });
    await rm(join(staging, 'tsconfig.json'));
    const packed = {
      name: pkg.name,
      version: pkg.version,
      description: pkg.description,
      type: 'module',
      license: pkg.license,
      exports: compiledExports(pkg.exports),
      files: ['dist'],
      dependencies: pkg.dependencies ?? {},
    };
    await writeFile(join(staging, 'package.json'), `${JSON.stringify(packed, null, 2)}\n`);
    const outDir = resolve(options.outDir);
    await mkdir(outDir, { recursive: true });
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: staging, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stderr?: string; message: string }) => {
      throw errors.byoc.SDK_PACK_FAILED.create(`npm pack of the compiled sdk failed: ${error.stderr || error.message}`);
    });
    const [entry] = JSON.parse(stdout) as { filename: string }[];
    return { tarball: join(outDir, entry!.filename), version: pkg.version };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
