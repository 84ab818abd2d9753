import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { HOST_API_VERSION } from '@lpx/sdk';
import { publishToLocalRegistry } from '@lpx/registry';
import { runCli } from '../../../test/helpers/cli.js';

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'lpx-plugin-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function publish(t: Test, registry: string, version: string): Promise<void> {
  const folder = tempDir(t);
  const manifest = { id: 'hello', version, host: `^${HOST_API_VERSION}`, description: 'cli fixture', capabilities: [{ id: 'byoc/hello', version: 1, mode: 'request-response', workUnit: 'request', priceUnit: 'wei/request' }] };
  await writeFile(join(folder, 'package.json'), JSON.stringify({ name: '@fixture/hello', version, type: 'module', exports: './index.mjs' }));
  await writeFile(join(folder, 'plugin.manifest.json'), JSON.stringify(manifest));
  await writeFile(join(folder, 'index.mjs'), `import { definePlugin } from '@lpx/sdk';\nexport default definePlugin({ manifest: ${JSON.stringify(manifest)}, register(reg) { reg.registerInit({ deps: {}, init() {} }); } });\n`);
  await publishToLocalRegistry(registry, folder);
}

t.test('plugin --help lists the registry-trust verbs', async (t) => {
  const help = await runCli('plugin', '--help');
  t.equal(help.code, 0);
  for (const verb of ['keygen', 'sign', 'verify', 'review', 'revoke', 'outdated', 'info', 'list']) t.match(help.stdout, new RegExp(`\\n  ${verb}\\b`), verb);
});

t.test('keygen, sign, review, verify, list, info, revoke: a publisher and a reviewer at work', async (t) => {
  const dir = tempDir(t);
  const registry = join(dir, 'registry');
  await publish(t, registry, '1.0.0');

  const keygen = await runCli('plugin', 'keygen', '--algorithm', 'ed25519', '--name', 'Ada', '--out', join(dir, 'publisher.json'), '--json');
  t.equal(keygen.code, 0, keygen.stderr);
  const publisher = JSON.parse(keygen.stdout) as { keyId: string };
  t.match(publisher.keyId, /^ed25519:/);
  t.equal((await stat(join(dir, 'publisher.json'))).mode & 0o777, 0o600);
  const again = await runCli('plugin', 'keygen', '--out', join(dir, 'publisher.json'));
  t.equal(again.code, 1);
  t.match(again.stderr, /LPX_ERR_REGISTRY_KEY_INVALID: .*refusing to overwrite/);
  const reviewerRun = await runCli('plugin', 'keygen', '--algorithm', 'secp256k1', '--out', join(dir, 'reviewer.json'));
  t.equal(reviewerRun.code, 0, reviewerRun.stderr);
  const reviewer = reviewerRun.stdout.split('\n')[0]!;
  t.match(reviewer, /^eth:0x[0-9a-f]{40}$/);
  t.match((await runCli('plugin', 'keygen', '--algorithm', 'rsa', '--out', join(dir, 'x.json'))).stderr, /--algorithm must be one of ed25519, secp256k1/);

  const sign = await runCli('plugin', 'sign', registry, 'hello@1.0.0', '--key', join(dir, 'publisher.json'));
  t.equal(sign.code, 0, sign.stderr);
  t.equal(sign.stdout, `signed hello@1.0.0 as ${publisher.keyId}`);

  const pending = await runCli('plugin', 'verify', registry, 'hello@1.0.0', '--trust-key', publisher.keyId);
  t.equal(pending.code, 1, 'pending is not installable under a policy');
  t.match(pending.stdout, new RegExp(`signed by ${publisher.keyId} \\(Ada\\): valid`));
  t.match(pending.stdout, /review: pending/);
  t.match(pending.stdout, /content: tarball integrity ok/);
  t.match(pending.stdout, /verdict: LPX_ERR_REGISTRY_NOT_APPROVED/);

  const dev = await runCli('plugin', 'verify', registry, 'hello@1.0.0', '--json');
  t.equal(dev.code, 0, 'dev mode accepts it');
  t.match(JSON.parse(dev.stdout), { ok: true, state: 'pending', verdict: { ok: true, signedBy: [publisher.keyId] } });

  const approve = await runCli('plugin', 'review', registry, 'hello@1.0.0', 'approve', '--key', join(dir, 'reviewer.json'), '--reason', 'audited');
  t.equal(approve.code, 0, approve.stderr);
  t.equal(approve.stdout, `hello@1.0.0 is now approved (reviewed by ${reviewer})`);
  t.match((await runCli('plugin', 'review', registry, 'hello@1.0.0', 'bless', '--key', join(dir, 'reviewer.json'))).stderr, /LPX_ERR_REGISTRY_REVIEW_INVALID: decision must be one of approve, reject, revoke/);
  const untrusted = await runCli('plugin', 'verify', registry, 'hello@1.0.0', '--trust-key', reviewer);
  t.match(untrusted.stdout, /verdict: LPX_ERR_REGISTRY_UNTRUSTED/);
  const otherReviewer = await runCli('plugin', 'verify', registry, 'hello@1.0.0', '--trust-key', publisher.keyId);
  t.match(otherReviewer.stdout, /verdict: LPX_ERR_REGISTRY_NOT_APPROVED: .* is pending/, 'reviewers default to the trusted publishers');
  const approved = await runCli('plugin', 'verify', registry, 'hello@1.0.0', '--trust-key', publisher.keyId, '--reviewer-key', reviewer);
  t.equal(approved.code, 0, approved.stdout);
  t.match(approved.stdout, new RegExp(`review: approved by ${reviewer} \\(audited\\)`));
  t.match(approved.stdout, new RegExp(`verdict: accepted \\(trusted signer: ${publisher.keyId}\\)`));

  await publish(t, registry, '1.1.0');
  const list = await runCli('plugin', 'list', registry);
  t.match(list.stdout, new RegExp(`ID\\s+VERSION\\s+STATE\\s+SIGNED BY\\nhello\\s+1\\.0\\.0\\s+approved\\s+${publisher.keyId}\\nhello\\s+1\\.1\\.0\\s+pending\\s+-`));
  t.match(JSON.parse((await runCli('plugin', 'info', registry, 'hello', '--json')).stdout), [{ version: '1.0.0', state: 'approved' }, { version: '1.1.0', state: 'pending', signedBy: [] }]);
  const info = await runCli('plugin', 'info', registry, 'hello@1.0.0');
  t.match(info.stdout, /hello@1\.0\.0  sha512-.*\n  cli fixture\n  host .*; capabilities: byoc\/hello; permissions: -/);

  // Tampering shows in verify and list.
  const manifestPath = join(registry, 'hello', '1.0.0', 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
  await writeFile(manifestPath, JSON.stringify({ ...manifest, description: 'now with telemetry' }));
  const tampered = await runCli('plugin', 'verify', registry, 'hello@1.0.0', '--trust-key', publisher.keyId);
  t.equal(tampered.code, 1);
  t.match(tampered.stdout, /: INVALID/);
  t.match(tampered.stdout, /content: LPX_ERR_REGISTRY_ENTRY_INVALID: .*differs from the plugin.manifest.json inside/);
  t.match(tampered.stdout, /verdict: LPX_ERR_REGISTRY_SIGNATURE_INVALID/);
  t.match((await runCli('plugin', 'list', registry)).stdout, new RegExp(`hello\\s+1\\.0\\.0\\s+approved\\s+- \\(1 INVALID\\)`));
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));

  const revoke = await runCli('plugin', 'revoke', registry, 'hello@1.0.0', '--key', join(dir, 'reviewer.json'), '--reason', 'CVE');
  t.equal(revoke.code, 0, revoke.stderr);
  t.match((await runCli('plugin', 'verify', registry, 'hello@1.0.0')).stdout, /verdict: LPX_ERR_REGISTRY_REVOKED: .*\(CVE\)/);
  t.match((await runCli('plugin', 'revoke', registry, 'hello@1.1.0')).stderr, /revoking a release needs --key/);
  const key = await runCli('plugin', 'revoke', registry, publisher.keyId, '--reason', 'leaked');
  t.equal(key.code, 0, key.stderr);
  t.match(JSON.parse(await readFile(join(registry, 'revoked-keys.json'), 'utf8')), [{ keyId: publisher.keyId, reason: 'leaked' }]);
});

t.test('outdated compares the lockfile with what the registry offers under the node\'s trust policy', async (t) => {
  const dir = tempDir(t);
  const registry = join(dir, 'registry');
  await publish(t, registry, '1.0.0');
  await writeFile(join(dir, 'node.yaml'), `node:\n  roles: [worker]\n  dataDir: ${join(dir, 'data')}\nregistry:\n  dir: ./registry\nplugins:\n  hello:\n    version: "^1.0.0"\n`);
  const check = await runCli('config', 'check', join(dir, 'node.yaml'));
  t.equal(check.code, 0, check.stderr);
  t.match(JSON.parse(await readFile(join(dir, 'lpx-plugins.lock'), 'utf8')), { lockfileVersion: 1, plugins: { hello: { range: '^1.0.0', version: '1.0.0' } } });
  await publish(t, registry, '1.2.0');
  const outdated = await runCli('plugin', 'outdated', '--config', join(dir, 'node.yaml'));
  t.equal(outdated.code, 0, outdated.stderr);
  t.match(outdated.stdout, /ID\s+RANGE\s+LOCKED\s+WANTED\s+LATEST\nhello\s+\^1\.0\.0\s+1\.0\.0\s+1\.2\.0\s+1\.2\.0/);
  await writeFile(join(dir, 'node.yaml'), `${await readFile(join(dir, 'node.yaml'), 'utf8')}`.replace('  dir: ./registry\n', '  dir: ./registry\n  trust:\n    publishers: ["ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAA"]\n'));
  t.match(JSON.parse((await runCli('plugin', 'outdated', '--config', join(dir, 'node.yaml'), '--json')).stdout), [{ id: 'hello', locked: '1.0.0', wanted: null, refusal: 'LPX_ERR_REGISTRY_UNTRUSTED', latest: '1.2.0' }]);
});
