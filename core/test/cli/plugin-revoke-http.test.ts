import { join } from 'node:path';
import t from 'tap';
import { mirrorForNode, resolvePluginsForNode } from '@lpx/registry';
import { runCli } from '../../../test/helpers/cli.js';
import { ADMIN_TOKEN, publisher, servedRelease as served } from './helpers/served-release.js';

// `lpx plugin revoke <url> <key id>`: a leaked publisher key revoked on an `lpx registry serve`, no shell on the registry host needed.

t.test('revoke <url> <key id> with an admin token: stored once, mirrored to nodes, the key\'s releases no longer install', async (t) => {
  const s = await served(t);
  const trust = { publishers: [publisher.keyId], states: ['pending' as const] };
  const mirror = join(s.dir, 'mirror');
  await mirrorForNode(s.url, [{ id: 'greeter', version: '1.0.0' }], mirror);
  const [before] = await resolvePluginsForNode(mirror, [{ id: 'greeter', version: '1.0.0' }], join(s.dir, 'installed-before'), { trust });
  t.match(before, { version: '1.0.0', trust: { signedBy: [publisher.keyId] } }, 'trusted before the revocation');

  const run = await runCli('plugin', 'revoke', s.url, publisher.keyId, '--reason', 'leaked', '--token-file', join(s.dir, 'admin.token'), '--json');
  t.equal(run.code, 0, run.stdout);
  t.same(JSON.parse(run.stdout), { ok: true, revokedKey: publisher.keyId });
  t.match(await s.revokedOnDisk(), [{ keyId: publisher.keyId, reason: 'leaked' }]);

  const again = await runCli('plugin', 'revoke', s.url, publisher.keyId, '--token-file', join(s.dir, 'admin.token'));
  t.equal(again.code, 0, again.stderr);
  t.equal(again.stdout, `key ${publisher.keyId} is revoked in ${s.url}; releases it signed are no longer trusted`);
  t.equal((await s.revokedOnDisk()).length, 1, 'a repeat is idempotent');

  await mirrorForNode(s.url, [{ id: 'greeter', version: '1.0.0' }], mirror);
  const refused = await resolvePluginsForNode(mirror, [{ id: 'greeter', version: '1.0.0' }], join(s.dir, 'installed-after'), { trust }).then(() => undefined, (error: Error) => error);
  t.match(refused?.message, /revoked/, 'the next mirror carries the revocation and the node refuses the release');
});

t.test('revoke <url> <key id> refusals: wrong token kinds and malformed ids change nothing', async (t) => {
  const s = await served(t);
  const revoke = (...extra: string[]) => runCli('plugin', 'revoke', s.url, ...extra, '--json');
  const error = async (...extra: string[]) => (JSON.parse((await revoke(...extra)).stdout) as { error: { code: string; message: string } }).error;

  t.match(await error(publisher.keyId), { code: 'LPX_ERR_REGISTRY_UNAUTHORIZED', message: /needs a token: pass --token-file/ });
  t.match(await error(publisher.keyId, '--token-file', join(s.dir, 'publish.token')), { code: 'LPX_ERR_REGISTRY_FORBIDDEN', message: /publish token cannot post key revocations/ });
  process.env.LPX_REGISTRY_TOKEN = 'not-a-token';
  t.match(await error(publisher.keyId), { code: 'LPX_ERR_REGISTRY_UNAUTHORIZED', message: /not one this registry accepts/ });
  process.env.LPX_REGISTRY_TOKEN = ADMIN_TOKEN;
  // The registry's own refusal code travels in the message of the client's REMOTE_FAILED.
  t.match(await error('ed25519:short'), { code: 'LPX_ERR_REGISTRY_REMOTE_FAILED', message: /answered 400 LPX_ERR_HTTP_BAD_REQUEST: a key revocation is/ });
  t.match(await error('eth:0x1234'), { code: 'LPX_ERR_REGISTRY_REMOTE_FAILED', message: /answered 400 LPX_ERR_HTTP_BAD_REQUEST/ });
  t.same(await s.revokedOnDisk(), [], 'nothing was revoked');
});
