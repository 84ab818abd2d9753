import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { HOST_API_VERSION } from '@lpx/sdk';
import { generateKey, readEntry, serveRegistry, sha512Integrity, verifyReleaseSignatures, writePrivateKeyFile } from '@lpx/registry';
import { runCli } from '../../../test/helpers/cli.js';
import { fixtureManifest, fixturePluginFolder } from '../../../registry/test/helpers/fixture-plugin.js';

// lpx plugin pack | publish | install and lpx registry serve, run as an operator or partner would.

const TOKEN = 'cli-test-token';
const manifest = (version: string) => fixtureManifest({ id: 'greeter', version, host: `^${HOST_API_VERSION}`, capabilities: [] });

function folders(extra: Record<string, unknown> = {}) {
  return {
    v100: fixturePluginFolder({ manifest: manifest('1.0.0') }),
    v110: fixturePluginFolder({ manifest: manifest('1.1.0') }),
    broken: { 'package.json': '{"name":"broken","version":"1.0.0"}' },
    'publish.token': `# the publishers\n${TOKEN}\n`,
    registry: {},
    ...extra,
  } as Parameters<typeof t.testdir>[0];
}

async function listing(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

t.test('plugin pack writes the package tarball and prints its integrity', async (t) => {
  const dir = t.testdir(folders());
  const out = join(dir, 'greeter.tgz');
  const run = await runCli('plugin', 'pack', join(dir, 'v100'), '--out', out);
  t.equal(run.code, 0, run.stderr);
  const integrity = sha512Integrity(await readFile(out));
  t.match(run.stdout, `packed greeter@1.0.0 → ${out}`);
  t.match(run.stdout, `integrity ${integrity}`);
  const json = await runCli('plugin', 'pack', join(dir, 'v100'), '--out', out, '--json');
  t.match(JSON.parse(json.stdout), { ok: true, id: 'greeter', version: '1.0.0', integrity }, 'the same folder packs to the same bytes');

  const broken = await runCli('plugin', 'pack', join(dir, 'broken'), '--json');
  t.equal(broken.code, 1);
  t.match(JSON.parse(broken.stdout), { ok: false, error: { code: 'LPX_ERR_REGISTRY_PACKAGE_INVALID', message: /has no plugin\.manifest\.json/ } });
});

t.test('plugin publish: to a folder, and to an HTTP registry with a token file', async (t) => {
  const dir = t.testdir(folders({ remote: {} }));
  const local = await runCli('plugin', 'publish', join(dir, 'v100'), '--registry', join(dir, 'registry'));
  t.equal(local.code, 0, local.stderr);
  t.match(local.stdout, `published greeter@1.0.0 to ${join(dir, 'registry')}`);
  t.match((await runCli('plugin', 'publish', join(dir, 'v100'), '--registry', join(dir, 'registry'))).stdout, 'already published (same content)');

  const served = await serveRegistry({ root: join(dir, 'remote'), publishTokens: [TOKEN], port: 0 });
  t.teardown(() => served.close());
  const saved = process.env.LPX_REGISTRY_TOKEN;
  delete process.env.LPX_REGISTRY_TOKEN;
  t.teardown(() => void (saved === undefined ? undefined : (process.env.LPX_REGISTRY_TOKEN = saved)));
  const noToken = await runCli('plugin', 'publish', join(dir, 'v100'), '--registry', served.url, '--json');
  t.match(JSON.parse(noToken.stdout), { ok: false, error: { code: 'LPX_ERR_REGISTRY_UNAUTHORIZED', message: /--token-file/ } });
  const remote = await runCli('plugin', 'publish', join(dir, 'v100'), '--registry', served.url, '--token-file', join(dir, 'publish.token'), '--json');
  t.equal(remote.code, 0, remote.stdout);
  t.match(JSON.parse(remote.stdout), { ok: true, id: 'greeter', version: '1.0.0', status: 'published', state: 'pending', registry: served.url });
  t.same(await listing(join(dir, 'remote', 'greeter')), ['1.0.0']);
});

t.test('plugin publish --key: the release is signed on the partner\'s machine and the signature is published with it', async (t) => {
  const dir = t.testdir(folders({ remote: {} }));
  const key = generateKey('ed25519', 'partner');
  await writePrivateKeyFile(join(dir, 'partner.key'), key);
  const served = await serveRegistry({ root: join(dir, 'remote'), publishTokens: [TOKEN], port: 0 });
  t.teardown(() => served.close());
  const remote = await runCli('plugin', 'publish', join(dir, 'v100'), '--registry', served.url, '--token-file', join(dir, 'publish.token'), '--key', join(dir, 'partner.key'), '--json');
  t.equal(remote.code, 0, remote.stdout);
  const check = await verifyReleaseSignatures(await readEntry(join(dir, 'remote'), 'greeter', '1.0.0'));
  t.same(check.valid.map((s) => s.keyId), [key.keyId], 'the HTTP registry holds a signature that verifies over the release');
  t.same(check.invalid, []);

  const local = await runCli('plugin', 'publish', join(dir, 'v110'), '--registry', join(dir, 'registry'), '--key', join(dir, 'partner.key'), '--json');
  t.equal(local.code, 0, local.stdout);
  t.same((await verifyReleaseSignatures(await readEntry(join(dir, 'registry'), 'greeter', '1.1.0'))).valid.map((s) => s.keyId), [key.keyId], 'and so does a local folder');

  const missing = await runCli('plugin', 'publish', join(dir, 'v100'), '--registry', join(dir, 'registry'), '--key', join(dir, 'nope.key'), '--json');
  t.not(missing.code, 0, 'an unreadable key file is refused');
  t.same(await listing(join(dir, 'registry', 'greeter')), ['1.1.0'], 'before anything is published');

  // A --signatures file whose signature is for another release (here 1.1.0's) would poison 1.0.0 for every node.
  const other = JSON.parse(await readFile(join(dir, 'registry', 'greeter', '1.1.0', 'signatures.json'), 'utf8')) as unknown[];
  await writeFile(join(dir, 'copied.json'), JSON.stringify(other));
  const copied = await runCli('plugin', 'publish', join(dir, 'v100'), '--registry', join(dir, 'registry'), '--signatures', join(dir, 'copied.json'), '--json');
  t.match(JSON.parse(copied.stdout), { ok: false, error: { code: 'LPX_ERR_REGISTRY_SIGNATURE_INVALID', message: /does not verify over this release/ } });
  t.same(await listing(join(dir, 'registry', 'greeter')), ['1.1.0'], 'nothing was published');
});

const nodeConfig = (registry: string) => [
  '# operator notes: keep this comment',
  'node:',
  '  roles: [worker]   # a worker only',
  '  dataDir: ./data',
  registry,
  '',
].join('\n');

t.test('plugin install resolves from the config\'s HTTP registry, installs, and edits the config keeping comments', async (t) => {
  const dir = t.testdir(folders({ node: {} }));
  const served = await serveRegistry({ root: join(dir, 'registry'), publishTokens: [TOKEN], port: 0 });
  t.teardown(() => served.close());
  for (const v of ['v100', 'v110']) t.equal((await runCli('plugin', 'publish', join(dir, v), '--registry', served.url, '--token-file', join(dir, 'publish.token'))).code, 0);
  const config = join(dir, 'node', 'node.yaml');
  await import('node:fs/promises').then((fs) => fs.writeFile(config, nodeConfig(`registry:\n  url: ${served.url}`)));

  const refused = await runCli('plugin', 'install', 'greeter@^2.0.0', '--config', config, '--json');
  t.equal(refused.code, 1);
  t.match(JSON.parse(refused.stdout), { ok: false, error: { code: 'LPX_ERR_REGISTRY_RESOLVE_FAILED', message: /satisfies "\^2\.0\.0"; available: 1\.0\.0, 1\.1\.0/ } });
  t.equal(await readFile(config, 'utf8'), nodeConfig(`registry:\n  url: ${served.url}`), 'a failed install leaves the config as it was');
  t.same(await listing(join(dir, 'node', 'data', 'plugins-installed')), [], 'and installs nothing');

  const run = await runCli('plugin', 'install', 'greeter@~1.0.0', '--config', config);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, `installed greeter@1.0.0 from ${served.url}`);
  t.match(run.stdout, 'plugins.greeter.version = ~1.0.0');
  const edited = await readFile(config, 'utf8');
  t.match(edited, '# operator notes: keep this comment');
  t.match(edited, /roles: \[ ?worker ?\] +# a worker only/);
  t.match(edited, /plugins:\n\s+greeter:\n\s+version: ~1\.0\.0/);
  t.same(await listing(join(dir, 'node', 'data', 'plugins-installed', 'greeter')), ['1.0.0']);
  t.same(await listing(join(dir, 'node', 'data', 'registry-mirror', 'greeter')), ['1.0.0']);

  const latest = await runCli('plugin', 'install', 'greeter', '--config', config, '--json');
  t.match(JSON.parse(latest.stdout), { ok: true, id: 'greeter', version: '1.1.0', range: '^1.1.0', }, 'a bare id takes the newest and pins ^version');
  t.match(await readFile(config, 'utf8'), /greeter:\n\s+version: \^1\.1\.0/);

  const check = await runCli('config', 'check', config);
  t.equal(check.code, 0, `the edited config boots its plugins: ${check.stderr}`);
  t.match(check.stdout, /greeter/);

  t.match(JSON.parse((await runCli('plugin', 'install', 'Bad@1', '--config', config, '--json')).stdout), { error: { code: 'LPX_ERR_CONFIG_INVALID' } });
});

t.test('plugin install from a local registry folder; a config without a registry is refused', async (t) => {
  const dir = t.testdir(folders({ node: {} }));
  t.equal((await runCli('plugin', 'publish', join(dir, 'v110'), '--registry', join(dir, 'registry'))).code, 0);
  const config = join(dir, 'node', 'node.yaml');
  const fs = await import('node:fs/promises');
  await fs.writeFile(config, nodeConfig('registry:\n  dir: ../registry'));
  const run = await runCli('plugin', 'install', 'greeter@^1.0.0', '--config', config, '--json');
  t.match(JSON.parse(run.stdout), { ok: true, version: '1.1.0', registry: join(dir, 'registry') });

  const bare = join(dir, 'node', 'bare.yaml');
  await fs.writeFile(bare, nodeConfig(''));
  const refused = await runCli('plugin', 'install', 'greeter@^1.0.0', '--config', bare, '--json');
  t.match(JSON.parse(refused.stdout), { ok: false, error: { code: 'LPX_ERR_CONFIG_INVALID', message: /needs registry\.dir .* or registry\.url/ } });
});

t.test('lpx registry serve runs as its own process until signalled', async (t) => {
  const dir = t.testdir(folders());
  const bin = fileURLToPath(new URL('../../bin/lpx.mjs', import.meta.url));
  const child = spawn(process.execPath, [bin, 'registry', 'serve', '--dir', join(dir, 'registry'), '--port', '0', '--publish-token-file', join(dir, 'publish.token')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines = createInterface({ input: child.stdout! });
  let url: string | undefined;
  for await (const line of lines) {
    const match = /serving at (http:\/\/\S+)/.exec(line);
    if (match) {
      url = match[1];
      break;
    }
  }
  t.ok(url, 'prints the URL it serves at');
  const publish = await runCli('plugin', 'publish', join(dir, 'v100'), '--registry', url!, '--token-file', join(dir, 'publish.token'));
  t.equal(publish.code, 0, publish.stderr);
  t.same(await (await fetch(`${url}/v1/plugins`)).json(), { plugins: [{ id: 'greeter', versions: [{ version: '1.0.0', state: 'pending' }] }] });
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'SIGTERM closes the server and the process exits cleanly');
});
