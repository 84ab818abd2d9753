// `lpx sdk pack`: the compiled @lpx/sdk installs with npm into a project
// outside this repository and works from plain Node (no tsx) — the sdk, its
// testing subpath, and a scaffolded BYOC plugin's index.js on top of it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { runCli } from '../../../test/helpers/cli.js';
import { compiledExports } from '../../src/cli/partner/sdk-pack.js';
import { sdkPackageJson } from '../../src/cli/partner/sdk-package.js';

const exec = promisify(execFile);
// Longer than .taprc's per-file 180 s: tsc over the sdk and two npm installs: minutes on a loaded machine.
t.setTimeout(900_000);
// Plain Node: none of tap's or tsx's loaders.
const { NODE_OPTIONS: _loaders, ...plainEnv } = process.env;
const node = (cwd: string, script: string) => exec(process.execPath, ['--input-type=module', '-e', script], { cwd, env: plainEnv });
const npmInstall = (cwd: string, tarball: string) => exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd, env: plainEnv, maxBuffer: 16 * 1024 * 1024 });

t.test('the packed sdk installs outside the repo and runs on plain Node', { timeout: 600_000 }, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'lpx-sdk-pack-test-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const { version } = await sdkPackageJson();

  const packed = await runCli('sdk', 'pack', '--out', join(root, 'out'), '--json');
  t.equal(packed.code, 0, packed.stderr);
  const { tarball } = JSON.parse(packed.stdout) as { tarball: string };
  t.equal(tarball, join(root, 'out', `lpx-sdk-${version}.tgz`));

  const project = join(root, 'consumer');
  await exec('mkdir', [project]);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
  await npmInstall(project, tarball);
  const { stdout } = await node(
    project,
    `import { definePlugin, defineByocPlugin, errors, isLpxError, HOST_API_VERSION } from '@lpx/sdk';
     import { byocAppSuite } from '@lpx/sdk/testing';
     const manifest = { id: 'p', version: '0.1.0', host: '^' + HOST_API_VERSION };
     const plain = definePlugin({ manifest, register() {} });
     let refused;
     try { defineByocPlugin({ manifest, moduleUrl: import.meta.url }); } catch (e) { refused = isLpxError(e) ? e.code : String(e); }
     const err = errors.byoc.SCAFFOLD_FAILED.create('x');
     console.log(JSON.stringify({ id: plain.manifest.id, refused, code: err.code, cases: byocAppSuite().cases.length }));`,
  );
  t.same(JSON.parse(stdout), { id: 'p', refused: 'LPX_ERR_PLUGIN_MANIFEST_INVALID', code: 'LPX_ERR_BYOC_SCAFFOLD_FAILED', cases: 5 });

  // A scaffolded partner project installs the same tarball and its plugin loads.
  const partner = join(root, 'text-upper');
  t.equal((await runCli('plugin', 'init', 'byoc', 'text-upper', '--dir', partner, '--base', 'lpx/busybox:1.35.0')).code, 0);
  await npmInstall(partner, tarball);
  const loaded = await node(
    partner,
    `const plugin = (await import('./index.js')).default;
     console.log(JSON.stringify({ id: plugin.manifest.id, app: plugin.manifest.byoc.name, register: typeof plugin.register }));`,
  );
  t.same(JSON.parse(loaded.stdout), { id: 'text-upper', app: 'text-upper', register: 'function' });
});

t.test('every sdk export maps to compiled files, and only ./src/*.ts sources are accepted', async (t) => {
  t.same(compiledExports({ '.': './src/index.ts', './testing': './src/testing/index.ts' }), {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './testing': { types: './dist/testing/index.d.ts', default: './dist/testing/index.js' },
  });
  // The repo's exports carry the compiled-mirror condition (ADR 0063); the packed package does not.
  t.same(compiledExports({ '.': { 'lpx-js': './.lpx-js/src/index.js', default: './src/index.ts' } }), {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
  });
  t.throws(() => compiledExports({ './x': './lib/x.js' }), { code: 'LPX_ERR_BYOC_SDK_PACK_FAILED', message: /expected \.\/src\/<path>\.ts/ });
});
