// `lpx plugin init byoc`: the project it writes (a valid manifest, the files a
// partner needs, an executable CGI script) and what it refuses — a bad name,
// a non-empty folder, a mode without a template — leaving nothing behind.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { validateManifest } from '@lpx/registry';
import { byocSessionMode, HOST_API_VERSION } from '@lpx/sdk';
import { runCli } from '../../../test/helpers/cli.js';
import { sdkPackageJson } from '../../src/cli/partner/sdk-package.js';

async function scratch(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-plugin-init-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

t.test('scaffolds a BYOC project outside the repo with a manifest that validates', async (t) => {
  const root = await scratch(t);
  const dir = join(root, 'text-upper');
  const run = await runCli('plugin', 'init', 'byoc', 'text-upper', '--dir', dir, '--base', 'lpx/busybox:9.9.9', '--json');
  t.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { ok: boolean; dir: string; files: string[] };
  t.equal(result.dir, dir);
  t.same(result.files, ['.gitignore', 'README.md', 'container/Dockerfile', 'container/lib/text-input.sh', 'container/www/cgi-bin/index.cgi', 'container/www/health', 'index.js', 'package.json', 'plugin.manifest.json', 'scripts/build-image.mjs', 'test/app.test.js']);

  const manifest = validateManifest(JSON.parse(await readFile(join(dir, 'plugin.manifest.json'), 'utf8')));
  t.match(manifest, { id: 'text-upper', version: '0.1.0', host: `^${HOST_API_VERSION}`, permissions: ['docker'], grants: { docker: { images: ['text-upper:0.1.0'] } } });
  t.match(manifest.byoc, { name: 'text-upper', mode: 'request-response', price: { unit: 'second', pricePerUnit: '1000000000' }, capacity: 1, health: { path: '/health', status: 200 }, container: { image: 'text-upper:0.1.0', archive: 'image/app.tar', port: 8080 } });
  t.equal(byocSessionMode(manifest.byoc!), 'single-shot');

  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, any>;
  t.match(pkg, { name: 'text-upper', type: 'module', peerDependencies: { '@lpx/sdk': (await sdkPackageJson()).version } });
  t.ok(pkg.scripts['build:image'] && pkg.scripts.test);
  t.match(await readFile(join(dir, 'container/Dockerfile'), 'utf8'), /^FROM lpx\/busybox:9\.9\.9$/m);
  t.match(await readFile(join(dir, 'index.js'), 'utf8'), /defineByocPlugin\(\{ manifest, moduleUrl: import\.meta\.url, depth: 0 \}\)/);
  t.equal((await stat(join(dir, 'container/www/cgi-bin/index.cgi'))).mode & 0o111, 0o111, 'the CGI script is executable');
  for (const file of result.files) t.notMatch(await readFile(join(dir, file), 'utf8'), /__[A-Z][A-Z_]*__/, `${file} has no placeholder left`);
  t.same((await readdir(root)).sort(), ['text-upper'], 'no staging folder left behind');
});

t.test('refuses a bad name, a non-empty folder and a mode without a template, writing nothing', async (t) => {
  const root = await scratch(t);
  for (const name of ['Text', '9lives', 'a_b', 'x'.repeat(64), 'x.y']) {
    const run = await runCli('plugin', 'init', 'byoc', name, '--dir', join(root, 'p'), '--base', 'b:1');
    t.equal(run.code, 1, name);
    t.match(run.stderr, new RegExp(`error LPX_ERR_BYOC_SCAFFOLD_FAILED: "${name}" is not a usable name`));
  }
  const busy = join(root, 'busy');
  await mkdir(busy);
  await writeFile(join(busy, 'notes.txt'), 'mine');
  const refused = await runCli('plugin', 'init', 'byoc', 'ok-name', '--dir', busy, '--base', 'b:1', '--json');
  t.equal(refused.code, 1);
  t.match(JSON.parse(refused.stdout), { ok: false, error: { code: 'LPX_ERR_BYOC_SCAFFOLD_FAILED', message: /busy is not empty \(1 entries\)/ } });
  t.same(await readdir(busy), ['notes.txt'], 'the folder is untouched');

  const ws = await runCli('plugin', 'init', 'byoc', 'ok-name', '--dir', join(root, 'ws'), '--mode', 'websocket', '--base', 'b:1');
  t.match(ws.stderr, /LPX_ERR_BYOC_SCAFFOLD_FAILED: no template for mode "websocket" yet; templates exist for request-response, sse/);
  t.same((await readdir(root)).sort(), ['busy'], 'nothing half-written');

  const empty = join(root, 'empty');
  await mkdir(empty);
  const into = await runCli('plugin', 'init', 'byoc', 'ok-name', '--dir', empty, '--base', 'b:1');
  t.equal(into.code, 0, 'an empty folder is fine');
  t.ok((await readdir(empty)).includes('plugin.manifest.json'));
});

t.test('an sse project: the mode in the manifest and a CGI script that streams events', async (t) => {
  const root = await scratch(t);
  const dir = join(root, 'words');
  t.equal((await runCli('plugin', 'init', 'byoc', 'words', '--dir', dir, '--mode', 'sse', '--base', 'b:1')).code, 0);
  const manifest = validateManifest(JSON.parse(await readFile(join(dir, 'plugin.manifest.json'), 'utf8')));
  t.equal(manifest.byoc!.mode, 'sse');
  const cgi = await readFile(join(dir, 'container/www/cgi-bin/index.cgi'), 'utf8');
  t.match(cgi, /Content-Type: text\/event-stream/);
  t.match(cgi, /^\. \/usr\/lib\/app\/text-input\.sh$/m);
});

t.test('defaults the base image to lpx/busybox:<the local busybox version>', async (t) => {
  const root = await scratch(t);
  const run = await runCli('plugin', 'init', 'byoc', 'echo-app', '--dir', join(root, 'echo-app'));
  t.equal(run.code, 0, run.stderr);
  t.match(await readFile(join(root, 'echo-app/container/Dockerfile'), 'utf8'), /^FROM lpx\/busybox:\d+\.\d+\.\d+$/m);
});
