// Auth tokens (HMAC over session id and expiry) and the gateway's address signature.
import { createHmac } from 'node:crypto';
import t from 'tap';
import { getAddress, verifyMessage } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { AuthTokenIssuer, claimedAddress, gatewayCredentials, gatewaySignatureMessage, gatewaySignatureVerifier } from '../../src/network/index.js';
import { keccak256, parseAddress, toHex } from '../../src/payments/index.js';

t.test('auth token: HMAC-SHA256(secret, sessionId ‖ minimal big-endian expiry)', async (t) => {
  const secret = new Uint8Array(32).fill(7);
  let now = 1_700_000_000_000;
  const issuer = new AuthTokenIssuer({ secret, now: () => now, randomBytes: () => Uint8Array.from([0xde, 0xad, 0xbe, 0xef]) });
  const token = issuer.issue();
  t.equal(token.sessionId, 'deadbeef');
  t.equal(token.expiration, 1_700_000_000n + 1800n);
  const expiry = Buffer.from(token.expiration.toString(16).padStart(8, '0'), 'hex'); // 1700001800 fits 4 bytes exactly
  const expected = createHmac('sha256', secret).update('deadbeef').update(expiry).digest();
  t.equal(Buffer.from(token.token).toString('hex'), expected.toString('hex'));

  t.equal(issuer.check(token), undefined);
  t.equal(issuer.check(undefined), 'missing');
  t.equal(issuer.check({ ...token, sessionId: 'deadbeee' }), 'invalid');
  t.equal(issuer.check({ ...token, token: token.token.subarray(1) }), 'invalid');
  t.equal(new AuthTokenIssuer().check(token), 'invalid', 'another process (secret) does not accept it');
  now += 1801_000;
  t.equal(issuer.check(token), 'expired');
  t.throws(() => new AuthTokenIssuer({ secret: new Uint8Array(31) }), RangeError);
});

t.test('gateway signature: personal_sign over keccak256 of the EIP-55 address string', async (t) => {
  const account = privateKeyToAccount(generatePrivateKey());
  const address = parseAddress(account.address);
  const message = gatewaySignatureMessage(address);
  t.equal(toHex(message), toHex(keccak256(new TextEncoder().encode(getAddress(account.address)))), 'checksummed, not lower-case');

  const creds = await gatewayCredentials(account);
  t.equal(creds.sig.length, 65);
  t.ok(await verifyMessage({ address: account.address, message: { raw: message }, signature: toHex(creds.sig) }), 'viem agrees');
  const check = gatewaySignatureVerifier();
  t.equal(check(address, creds.sig), undefined, 'our verifier accepts it');
  t.equal(check(parseAddress(privateKeyToAccount(generatePrivateKey()).address), creds.sig), 'signature_mismatch');
  const lowerCaseSig = await account.signMessage({ message: { raw: keccak256(new TextEncoder().encode(account.address.toLowerCase())) } });
  if (account.address !== account.address.toLowerCase()) {
    t.equal(check(address, Buffer.from(lowerCaseSig.slice(2), 'hex')), 'signature_mismatch', 'a signature over the lower-case string is not go-livepeer\'s');
  }
  const v0 = Uint8Array.from(creds.sig);
  v0[64] = v0[64]! - 27;
  t.equal(check(address, v0), 'signature_v', 'V must be 27/28');
});

t.test('claimed address: last 20 bytes, left-padded (go BytesToAddress)', async (t) => {
  const long = Uint8Array.from({ length: 22 }, (_, i) => i);
  t.same([...claimedAddress(long)], [...long.subarray(2)]);
  t.same([...claimedAddress(Uint8Array.from([1, 2]))], [...new Uint8Array(18), 1, 2]);
});
