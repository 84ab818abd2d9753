// The node's account personal-signs on the native secp256k1 backend with noble as the
// fallback; every path must give go-livepeer the same 65 bytes viem (noble) gives.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { signingAccount } from '../../src/chain/signing-account.js';
import { accountFromPrivateKey } from '../../src/chain/eth-account.js';
import { personalSign } from '../../src/network/index.js';
import {
  loadNativeBackend,
  nobleBackend,
  personalBytesSignerOf,
  SECP256K1_N,
  SignatureVerifier,
  signPersonalMessage,
  toHex,
} from '../../src/payments/index.js';

const native = loadNativeBackend();
const HALF_N = SECP256K1_N >> 1n;

function lowS(sig: Uint8Array): boolean {
  return BigInt(toHex(sig.subarray(32, 64))) <= HALF_N;
}

t.test('native, noble and viem give the same 65 bytes (V = 27/28, low S) for the same key and message', async (t) => {
  t.ok(native, 'the native prebuild loads on this machine (otherwise this test proves nothing about it)');
  const vs = new Set<number>();
  for (let i = 0; i < 64; i++) {
    const key = toHex(randomBytes(32)) as Hex;
    const message = randomBytes(i % 2 === 0 ? 32 : 1 + (i % 70));
    const viem = fromViem(await privateKeyToAccount(key).signMessage({ message: { raw: message } }));
    const viaNative = signingAccount(key, native!).signPersonalBytes(message);
    const viaNoble = signingAccount(key, nobleBackend).signPersonalBytes(message);
    t.same(viaNative, viem, `native = viem (${i})`);
    t.same(viaNoble, viem, `noble = viem (${i})`);
    t.equal(viaNative.length, 65);
    t.ok(lowS(viaNative), 'low S');
    vs.add(viaNative[64]!);
  }
  t.same([...vs].sort(), [27, 28], 'both recovery ids seen, as V = 27 and 28');
});

function fromViem(hex: Hex): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}

t.test('signMessage keeps viem semantics for strings and raw hex', async (t) => {
  const key = toHex(randomBytes(32)) as Hex;
  const ours = signingAccount(key);
  const theirs = privateKeyToAccount(key);
  t.equal(ours.address, theirs.address);
  for (const message of ['hello', '', { raw: '0xdeadbeef' as Hex }, { raw: randomBytes(32) }] as const) {
    t.equal(await ours.signMessage({ message }), await theirs.signMessage({ message }));
  }
});

t.test('the node account signs in process; personalSign and an orchestrator verifier agree', async (t) => {
  const account = accountFromPrivateKey(toHex(randomBytes(32)));
  const local = personalBytesSignerOf(account);
  t.ok(local, 'accountFromPrivateKey returns the native-signing account');
  const message = randomBytes(32);
  const sig = await personalSign(account, message);
  t.same(sig, local!.signPersonalBytes(message));
  const recovered = new SignatureVerifier().recover(message, sig);
  t.ok('address' in recovered && toHex(recovered.address) === account.address.toLowerCase(), 'recovers to the account');
  t.equal(personalBytesSignerOf(privateKeyToAccount(toHex(randomBytes(32)) as Hex)), undefined, 'a plain viem account has no in-process path');
});

// The fallback: a child process in which `secp256k1/bindings` cannot be required (a stand-in
// for a platform without a prebuild) must pick noble, say why, and sign the same bytes.
t.test('native unavailable → noble, with a reason, same bytes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 's13-sign-fallback-'));
  const block = join(dir, 'no-native-prebuild.cjs');
  writeFileSync(
    block,
    `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'secp256k1/bindings') throw new Error('No native build was found (test stand-in)');
  return resolve.call(this, request, ...rest);
};`,
  );
  const script = join(dir, 'sign.ts');
  const src = new URL('../../src/', import.meta.url).pathname;
  writeFileSync(
    script,
    `import { secp256k1BackendChoice } from '${src}payments/index.js';
import { signingAccount } from '${src}chain/signing-account.js';
const choice = secp256k1BackendChoice();
const sig = signingAccount(process.argv[2], choice.backend).signPersonalBytes(Buffer.from(process.argv[3], 'hex'));
console.log(JSON.stringify({ name: choice.backend.name, reason: choice.reason, sig: Buffer.from(sig).toString('hex') }));`,
  );
  const key = toHex(randomBytes(32));
  const message = randomBytes(32);
  const run = (preload: string[]) =>
    JSON.parse(execFileSync(process.execPath, [...preload, '--import', 'tsx', script, key, Buffer.from(message).toString('hex')], { encoding: 'utf8', env: { ...process.env, LPX_SECP256K1: '' } })) as {
      name: string;
      reason: string;
      sig: string;
    };
  const fallback = run(['--require', block]);
  t.equal(fallback.name, 'noble');
  t.match(fallback.reason, /did not load \(No native build was found/);
  const normal = run([]);
  t.equal(normal.name, 'native');
  t.equal(fallback.sig, normal.sig, 'noble fallback signs the same bytes as native');
  t.equal(fallback.sig, Buffer.from(signPersonalMessage(message, Buffer.from(key.slice(2), 'hex'), nobleBackend)).toString('hex'));
});
