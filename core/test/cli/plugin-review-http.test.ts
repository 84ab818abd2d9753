import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { evaluateTrust, readEntry } from '@lpx/registry';
import { runCli } from '../../../test/helpers/cli.js';
import { ADMIN_TOKEN, publisher, servedRelease } from './helpers/served-release.js';

// `lpx plugin review --registry <url>`: a reviewer signs on their machine and posts to an `lpx registry serve`.

t.test('review --registry <url>: signed here, verified and stored by the registry, trusted by a node', async (t) => {
  const s = await servedRelease(t);
  const run = await runCli('plugin', 'review', '--registry', s.url, 'greeter@1.0.0', 'approve', '--key', s.key, '--token-file', join(s.dir, 'admin.token'), '--reason', 'audited', '--json');
  t.equal(run.code, 0, run.stdout);
  t.same(JSON.parse(run.stdout), { ok: true, id: 'greeter', version: '1.0.0', state: 'approved', keyId: s.reviewer.keyId, registryState: 'approved' });
  t.same((await s.reviewsPosted()).map((r) => [r.state, r.keyId]), [['approved', s.reviewer.keyId]]);
  const verdict = await evaluateTrust(await readEntry(s.root, 'greeter', '1.0.0'), { publishers: [publisher.keyId], reviewers: [s.reviewer.keyId] });
  t.match(verdict, { state: 'approved', signedBy: [publisher.keyId] }, 'the posted record verifies under a node\'s policy');

  // A range picks the newest matching release, as the node does; the token may come from the environment.
  process.env.LPX_REGISTRY_TOKEN = ADMIN_TOKEN;
  const revoke = await runCli('plugin', 'review', '--registry', s.url, 'greeter@^1', 'revoke', '--key', s.key, '--reason', 'CVE');
  t.equal(revoke.code, 0, revoke.stderr);
  t.equal(revoke.stdout, `greeter@1.0.0 is now revoked (reviewed by ${s.reviewer.keyId})`);
  const again = await runCli('plugin', 'review', '--registry', s.url, 'greeter@1.0.0', 'approve', '--key', s.key, '--json');
  t.match(JSON.parse(again.stdout), { ok: false, error: { code: 'LPX_ERR_REGISTRY_REVIEW_INVALID', message: /revocation is final/ } }, 'the server refuses, the client keeps its code');
  t.same((await s.reviewsPosted()).map((r) => r.state), ['approved', 'revoked']);
});

t.test('review --registry <url> refusals: nothing is posted', async (t) => {
  const s = await servedRelease(t);
  const review = (...extra: string[]) => runCli('plugin', 'review', '--registry', s.url, 'greeter@1.0.0', 'approve', '--key', s.key, '--json', ...extra);

  t.match(JSON.parse((await review()).stdout), { ok: false, error: { code: 'LPX_ERR_REGISTRY_UNAUTHORIZED', message: /needs a token: pass --token-file/ } });
  t.match(JSON.parse((await review('--token-file', join(s.dir, 'publish.token'))).stdout), { ok: false, error: { code: 'LPX_ERR_REGISTRY_FORBIDDEN', message: /publish token cannot post reviews/ } });
  const other = `sha512-${Buffer.alloc(64, 1).toString('base64')}`;
  t.match(JSON.parse((await review('--token-file', join(s.dir, 'admin.token'), '--integrity', other)).stdout), {
    ok: false,
    error: { code: 'LPX_ERR_REGISTRY_INTEGRITY_MISMATCH', message: /not the .* you reviewed; nothing was posted/ },
  });
  const missing = await runCli('plugin', 'review', '--registry', s.url, 'greeter@2.0.0', 'approve', '--key', s.key, '--token-file', join(s.dir, 'admin.token'), '--json');
  t.match(JSON.parse(missing.stdout), { ok: false, error: { code: 'LPX_ERR_REGISTRY_ENTRY_MISSING', message: /satisfies "2\.0\.0"; available: 1\.0\.0/ } });
  const usage = await runCli('plugin', 'review', '--registry', s.url, s.root, 'greeter@1.0.0', 'approve', '--key', s.key, '--json');
  t.match(JSON.parse(usage.stdout), { ok: false, error: { code: 'LPX_ERR_CONFIG_INVALID', message: /with --registry, lpx plugin review takes <release> <decision>/ } });
  t.notOk(await stat(join(s.root, 'greeter', '1.0.0', 'review.json')).then(() => true, () => false), 'no review.json was written');

  const matching = await review('--token-file', join(s.dir, 'admin.token'), '--integrity', s.integrity);
  t.equal(matching.code, 0, matching.stdout);
});

t.test('review --registry <dir> and the folder argument record the same local review', async (t) => {
  const s = await servedRelease(t);
  const run = await runCli('plugin', 'review', '--registry', s.root, 'greeter@1.0.0', 'reject', '--key', s.key, '--reason', 'phones home');
  t.equal(run.code, 0, run.stderr);
  const positional = await runCli('plugin', 'review', s.root, 'greeter@1.0.0', 'approve', '--key', s.key);
  t.equal(positional.code, 0, positional.stderr);
  t.same((await s.reviewsPosted()).map((r) => r.state), ['rejected', 'approved']);
});
