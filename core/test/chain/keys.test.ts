import t from 'tap';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountFromPrivateKey, loadEthAccount } from '../../src/chain/eth-account.js';
import { decryptKeystore, encryptKeystore } from '../../src/chain/keystore.js';
import { parseWei } from '../../src/chain/wei.js';

const KEY = '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d';

// Web3 Secret Storage definition, pbkdf2 test vector (password "testpassword").
const SPEC_PBKDF2 = {
  version: 3,
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
} as const;

t.test('decrypts the spec pbkdf2 vector and rejects a wrong password', async (t) => {
  t.equal(await decryptKeystore(JSON.stringify(SPEC_PBKDF2), 'testpassword'), KEY);
  await t.rejects(decryptKeystore(SPEC_PBKDF2, 'nope'), { code: 'LPX_ERR_CHAIN_KEYSTORE_PASSWORD' });
});

t.test('scrypt keystores round-trip; unsupported ones are named', async (t) => {
  const keystore = await encryptKeystore(KEY, 'pw', { n: 1024 });
  t.equal(await decryptKeystore(keystore, 'pw'), KEY);
  t.equal(keystore.address, accountFromPrivateKey(KEY).address.slice(2).toLowerCase());
  await t.rejects(decryptKeystore({ ...keystore, crypto: { ...keystore.crypto, cipher: 'aes-256-gcm' } }, 'pw'), { code: 'LPX_ERR_CHAIN_KEYSTORE_INVALID', message: /aes-256-gcm/ });
  await t.rejects(decryptKeystore('not json', 'pw'), { code: 'LPX_ERR_CHAIN_KEYSTORE_INVALID' });
});

t.test('loadEthAccount: explicit key, LPX_ETH_KEY, keystore file, or a coded error', async (t) => {
  const address = accountFromPrivateKey(KEY).address;
  t.equal((await loadEthAccount({}, { LPX_ETH_KEY: KEY.slice(2) })).address, address);
  const dir = await mkdtemp(join(tmpdir(), 'lpx-keys-'));
  const file = join(dir, 'key.json');
  await writeFile(file, JSON.stringify(await encryptKeystore(KEY, 'secret', { n: 1024 })));
  t.equal((await loadEthAccount({}, { LPX_ETH_KEYSTORE: file, LPX_ETH_PASSWORD: 'secret' })).address, address);
  await t.rejects(loadEthAccount({}, {}), { code: 'LPX_ERR_CHAIN_KEY_MISSING' });
  t.throws(() => accountFromPrivateKey('0x1234'), { code: 'LPX_ERR_CHAIN_KEY_INVALID' });
});

t.test('wei amounts are whole decimal numbers only', async (t) => {
  t.equal(parseWei('1000000000000000000'), 10n ** 18n);
  for (const bad of ['1.5', '-1', '1e18', '0x10', '']) t.throws(() => parseWei(bad), { code: 'LPX_ERR_CHAIN_AMOUNT_INVALID' }, bad);
});
