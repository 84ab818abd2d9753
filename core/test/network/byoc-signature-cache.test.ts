// Signatures over bytes that cannot change are made once: the job request's per
// (signer, request ‖ parameters) in a bounded LRU, the address proof once per signer.
import t from 'tap';
import type { Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { gatewayCredentials, type PersonalSigner } from '../../src/network/index.js';
import { JobSignatureCache, jobSenderFor, signJobRequest, verifyEthAddressHeader, verifyJobRequest } from '../../src/network/byoc/index.js';
import { signingAccount } from '../../src/chain/signing-account.js';

/** Counts the signatures a real viem account is asked for. */
function countingSigner(key: Hex = generatePrivateKey()): PersonalSigner & { calls: number } {
  const account = privateKeyToAccount(key);
  const signer = {
    address: account.address,
    calls: 0,
    signMessage(args: { message: { raw: Uint8Array } }) {
      signer.calls++;
      return account.signMessage(args);
    },
  };
  return signer;
}

const fields = (request: string, parameters = '{}', id = 'a') => ({ id, request, parameters, capability: 'echo', timeout_seconds: 10 });

t.test('a repeat of request ‖ parameters reuses the signature; the orchestrator still verifies it', async (t) => {
  const signer = countingSigner();
  const first = await signJobRequest(signer, fields('{"run":1}', '{}', 'job-1'));
  const again = await signJobRequest(signer, { ...fields('{"run":1}', '{}', 'job-2'), capability: 'other', timeout_seconds: 99 });
  t.equal(signer.calls, 1, 'signed once: id, capability and timeout are not covered by the signature');
  t.equal(again.sig, first.sig, 'identical signature');
  t.equal(again.id, 'job-2');
  t.ok(verifyJobRequest(again), 'a cached signature verifies');
  const fresh = await signJobRequest(countingSigner(), fields('{"run":1}', '{}', 'job-1'));
  t.not(fresh.sig, first.sig, 'another signer has its own cache and key');
});

t.test('different signed bytes get different signatures', async (t) => {
  const signer = countingSigner();
  const a = await signJobRequest(signer, fields('{"run":1}'));
  const b = await signJobRequest(signer, fields('{"run":2}'));
  const c = await signJobRequest(signer, fields('{"run":1}', '{"orchestrators":{}}'));
  t.equal(signer.calls, 3);
  t.equal(new Set([a.sig, b.sig, c.sig]).size, 3);
  for (const job of [a, b, c]) t.ok(verifyJobRequest(job));
});

t.test('the cache is bounded, least recently used out first; oversized inputs are not kept', async (t) => {
  const cache = new JobSignatureCache(2, 64);
  let signs = 0;
  const sign = (byte: number) => async () => {
    signs++;
    return new Uint8Array(65).fill(byte);
  };
  await cache.getOrSign('a', sign(1));
  await cache.getOrSign('b', sign(2));
  t.same(await cache.getOrSign('a', sign(9)), new Uint8Array(65).fill(1), 'hit returns the first bytes');
  await cache.getOrSign('c', sign(3));
  t.equal(cache.size, 2);
  t.equal(signs, 3);
  t.same(await cache.getOrSign('a', sign(9)), new Uint8Array(65).fill(1), 'a was used recently and stays');
  t.same(await cache.getOrSign('b', sign(4)), new Uint8Array(65).fill(4), 'b was the least recently used and went');
  t.equal(signs, 4);
  const hit = await cache.getOrSign('b', sign(9));
  hit[0] = 0xff;
  t.same(await cache.getOrSign('b', sign(9)), new Uint8Array(65).fill(4), 'a caller mutating its copy cannot corrupt the cache');
  await cache.getOrSign('x'.repeat(65), sign(5));
  await cache.getOrSign('x'.repeat(65), sign(5));
  t.equal(signs, 6, 'a key over maxKeyChars is signed every time');
  t.equal(cache.size, 2);
  t.throws(() => new JobSignatureCache(0), RangeError);
});

t.test('a failed signature is not cached', async (t) => {
  const cache = new JobSignatureCache();
  await t.rejects(cache.getOrSign('k', async () => Promise.reject(new Error('remote signer down'))), /remote signer down/);
  t.equal(cache.size, 0);
  t.same(await cache.getOrSign('k', async () => new Uint8Array(65).fill(7)), new Uint8Array(65).fill(7));
});

t.test('the address proof (OrchestratorRequest sig, Livepeer-Eth-Address) is signed once per signer', async (t) => {
  const signer = countingSigner();
  const a = await gatewayCredentials(signer);
  const b = await gatewayCredentials(signer);
  const sender = await jobSenderFor(signer);
  t.equal(signer.calls, 1);
  t.same(a.sig, b.sig);
  t.ok(verifyEthAddressHeader(sender), 'the cached signature verifies on the orchestrator side');
  const other = countingSigner();
  await gatewayCredentials(other);
  t.equal(other.calls, 1, 'another signer signs its own');
});

t.test('the node account (native signing) and a viem account produce the same job request', async (t) => {
  const key = generatePrivateKey();
  const viaNode = await signJobRequest(signingAccount(key), fields('{"run":"same"}'));
  const viaViem = await signJobRequest(privateKeyToAccount(key), fields('{"run":"same"}'));
  t.same(viaNode, viaViem);
});
