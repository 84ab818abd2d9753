import { join } from 'node:path';
import type { Test } from 'tap';
import type { PrivateKeyRecord, ReleaseSignature } from '../../src/trust/contract.js';
import { generateKey, releaseSignature, serveRegistry, type PackedPlugin, type RegistryServerOptions } from '../../src/index.js';
import { fixtureManifest, fixturePluginFolder, type FixtureDir } from './fixture-plugin.js';

export const PUBLISH_TOKEN = 'publish-token-for-tests';
export const ADMIN_TOKEN = 'admin-token-for-tests';

/** A real registry server on a free port over `root`, closed at teardown. */
export async function startRegistry(t: Test, root: string, options: Partial<RegistryServerOptions> = {}): Promise<string> {
  const served = await serveRegistry({ root, publishTokens: [PUBLISH_TOKEN], adminTokens: [ADMIN_TOKEN], ...options, port: 0 });
  t.teardown(() => served.close());
  return served.url;
}

/** Plugin folders: hello-world 1.0.0 and 1.2.0, and a 1.0.0 with other code. */
export function releaseFolders(extra: FixtureDir = {}): FixtureDir {
  return {
    v100: fixturePluginFolder(),
    v120: fixturePluginFolder({ manifest: fixtureManifest({ version: '1.2.0' }) }),
    changed: fixturePluginFolder({ entrySource: 'export default 1;\n' }),
    registry: {},
    mirror: {},
    ...extra,
  };
}

export function folder(dir: string, name: string): string {
  return join(dir, name);
}

/** A record of the contract's signature shape that verifies over nothing: what a tampered or junk signature looks like. */
export function signatureRecord(keyId = 'ed25519:abc'): ReleaseSignature {
  return { keyId, algorithm: 'ed25519', publicKey: 'cHVibGljLWtleQ==', signature: 'c2lnbmF0dXJl', signedAt: '2026-12-02T09:00:00.000Z' };
}

/** The test publisher's key (a real ed25519 key, made once per test file). */
export const TEST_PUBLISHER: PrivateKeyRecord = generateKey('ed25519', 'test publisher');

/** A real signature by `key` over a packed release, as `lpx plugin publish --key` makes it. */
export function signed(packed: PackedPlugin, key: PrivateKeyRecord = TEST_PUBLISHER): ReleaseSignature {
  return releaseSignature({ id: packed.manifest.id, version: packed.manifest.version, integrity: packed.integrity, manifest: packed.manifest }, key);
}
