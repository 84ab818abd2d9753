import { stat, writeFile } from 'node:fs/promises';
import t from 'tap';
import { recoverMessageAddress } from 'viem';
import { canonicalJson, generateKey, keyIdFor, publisherFileName, readPrivateKeyFile, readPublicKeyFile, signBytes, verifyBytes, writePrivateKeyFile } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';

t.test('canonical JSON sorts keys at every depth and drops whitespace and undefined', async (t) => {
  t.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[{"y":2,"z":1}]},"b":1}');
});

t.test('ed25519 and secp256k1 keys: ids, files (0600, never overwritten), signatures', async (t) => {
  const dir = t.testdir({});
  for (const algorithm of ['ed25519', 'secp256k1'] as const) {
    const key = generateKey(algorithm, `${algorithm} publisher`);
    t.match(key.keyId, algorithm === 'ed25519' ? /^ed25519:[A-Za-z0-9_-]{27}$/ : /^eth:0x[0-9a-f]{40}$/);
    t.equal(keyIdFor(algorithm, key.publicKey), key.keyId);
    const path = `${dir}/${algorithm}.json`;
    await writePrivateKeyFile(path, key);
    t.equal((await stat(path)).mode & 0o777, 0o600, 'private key file is owner-only');
    t.same(await readPrivateKeyFile(path), key);
    t.same(await readPublicKeyFile(path), { keyId: key.keyId, algorithm, publicKey: key.publicKey, name: key.name });
    const again = await catchError(() => writePrivateKeyFile(path, generateKey(algorithm)));
    t.equal(again.code, 'LPX_ERR_REGISTRY_KEY_INVALID');
    t.match(again.message, /refusing to overwrite/);

    const message = Buffer.from('{"type":"lpx-plugin-release/v1"}');
    const signature = signBytes(key, message);
    t.ok(verifyBytes(key, message, signature), 'verifies');
    t.notOk(verifyBytes(key, Buffer.from('{"type":"other"}'), signature), 'other bytes do not verify');
    const other = generateKey(algorithm);
    t.notOk(verifyBytes({ ...other, keyId: key.keyId }, message, signature), 'a key record whose id is not its key never verifies');
    t.notOk(verifyBytes(other, message, signature), 'another key does not verify');
    t.notOk(verifyBytes(key, message, 'not a signature'), 'garbage is just invalid');
  }
});

t.test('a secp256k1 release signature is a standard EIP-191 personal_sign an Ethereum tool recovers', async (t) => {
  const key = generateKey('secp256k1');
  const message = Buffer.from('{"id":"hello-world","type":"lpx-plugin-release/v1"}');
  const signature = signBytes(key, message) as `0x${string}`;
  const address = await recoverMessageAddress({ message: { raw: message }, signature });
  t.equal(`eth:${address.toLowerCase()}`, key.keyId);
});

t.test('key files that lie about themselves are refused with KEY_INVALID', async (t) => {
  const a = generateKey('ed25519');
  const b = generateKey('ed25519');
  const dir = t.testdir({
    'mixed.json': JSON.stringify({ ...a, privateKey: b.privateKey }),
    'wrong-id.json': JSON.stringify({ ...a, keyId: b.keyId }),
    'rsa.json': JSON.stringify({ ...a, algorithm: 'rsa' }),
    'not-json.json': '{',
  });
  await writeFile(`${dir}/public-only.json`, JSON.stringify({ keyId: a.keyId, algorithm: a.algorithm, publicKey: a.publicKey }));
  for (const [file, message] of [
    ['mixed.json', /does not belong to/],
    ['wrong-id.json', /is not the id of its public key/],
    ['rsa.json', /unknown key algorithm "rsa"/],
    ['not-json.json', /not valid JSON/],
    ['public-only.json', /needs a privateKey/],
    ['missing.json', /cannot read key file/],
  ] as const) {
    const error = await catchError(() => readPrivateKeyFile(`${dir}/${file}`));
    t.equal(error.code, 'LPX_ERR_REGISTRY_KEY_INVALID', file);
    t.match(error.message, message, file);
  }
});

t.test('publisher file names: the id with ":" as "-"; an id that could leave the folder is refused', async (t) => {
  t.equal(publisherFileName('ed25519:abc_-1'), 'ed25519-abc_-1.json');
  t.equal(publisherFileName('eth:0x00000000000000000000000000000000000000aa'), 'eth-0x00000000000000000000000000000000000000aa.json');
  for (const id of ['../../escape', '.hidden', 'a/b', '', 'x'.repeat(201)]) {
    t.equal((await catchError(async () => publisherFileName(id))).code, 'LPX_ERR_REGISTRY_KEY_INVALID', JSON.stringify(id.slice(0, 20)));
  }
});
