import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Test } from 'tap';
import { HOST_API_VERSION } from '@lpx/sdk';
import { generateKey, packPluginFolder, publishToHttpRegistry, releaseSignature, serveRegistry, writePrivateKeyFile } from '@lpx/registry';
import { fixtureManifest, fixturePluginFolder } from '../../../../registry/test/helpers/fixture-plugin.js';

export const PUBLISH_TOKEN = 'cli-test-publish-token';
export const ADMIN_TOKEN = 'cli-test-admin-token';
export const publisher = generateKey('ed25519', 'partner');

/**
 * An `lpx registry serve` holding `greeter@1.0.0` signed by `publisher`, token files for both
 * kinds of token, a reviewer key file, and $LPX_REGISTRY_TOKEN cleared for the test.
 */
export async function servedRelease(t: Test) {
  const dir = t.testdir({
    v100: fixturePluginFolder({ manifest: fixtureManifest({ id: 'greeter', version: '1.0.0', host: `^${HOST_API_VERSION}`, capabilities: [] }) }),
    registry: {},
    'admin.token': `${ADMIN_TOKEN}\n`,
    'publish.token': `${PUBLISH_TOKEN}\n`,
  });
  const root = join(dir, 'registry');
  const served = await serveRegistry({ root, publishTokens: [PUBLISH_TOKEN], adminTokens: [ADMIN_TOKEN], port: 0 });
  t.teardown(() => served.close());
  const packed = await packPluginFolder(join(dir, 'v100'));
  const signature = releaseSignature({ id: 'greeter', version: '1.0.0', integrity: packed.integrity, manifest: packed.manifest }, publisher);
  await publishToHttpRegistry(served.url, packed, { token: PUBLISH_TOKEN, signatures: [signature] });
  const reviewer = generateKey('secp256k1', 'reviewer');
  await writePrivateKeyFile(join(dir, 'reviewer.key'), reviewer);
  const saved = process.env.LPX_REGISTRY_TOKEN;
  delete process.env.LPX_REGISTRY_TOKEN;
  t.teardown(() => void (saved === undefined ? undefined : (process.env.LPX_REGISTRY_TOKEN = saved)));
  const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8').catch(() => '[]')) as T;
  return {
    dir,
    root,
    url: served.url,
    integrity: packed.integrity,
    reviewer,
    key: join(dir, 'reviewer.key'),
    reviewsPosted: () => readJson<{ state: string; keyId: string }[]>(join(root, 'greeter', '1.0.0', 'review.json')),
    revokedOnDisk: () => readJson<{ keyId: string; reason: string }[]>(join(root, 'revoked-keys.json')),
  };
}
