// BYOC header codecs, signed bytes, the JobToken's Go-JSON form and the job dedupe.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  billedSeconds,
  decodeEthAddressHeader,
  decodeJobRequestHeader,
  decodeJobToken,
  dispatchRequestId,
  encodeEthAddressHeader,
  encodeJobRequestHeader,
  encodeJobToken,
  JobDedupe,
  jobRequestSignatureMessage,
  jobRequestSignedBytes,
  jobSenderFor,
  retryAdvice,
  signJobRequest,
  verifyEthAddressHeader,
  verifyJobRequest,
  type JobOutcome,
} from '../../src/network/byoc/index.js';
import { fromHex, keccak256, SignatureVerifier, toChecksumAddress, toHex, type TicketParams } from '../../src/payments/index.js';

const account = privateKeyToAccount(generatePrivateKey());
const unsigned = { id: 'job-1', request: '{"stream_id":"s1"}', parameters: '{"orchestrators":{}}', capability: 'echo', timeout_seconds: 30 };

t.test('the signed message is keccak256(utf8(request ‖ parameters)) under EIP-191 with V 27/28', async (t) => {
  t.same(Buffer.from(jobRequestSignedBytes('{"a":"é"}', '{}')).toString('utf8'), '{"a":"é"}{}', 'plain concatenation, no separator');
  t.equal(jobRequestSignedBytes('{"a":"é"}', '{}').length, 12, 'UTF-8 bytes: 10 ASCII + two for é');
  const job = await signJobRequest(account, unsigned);
  t.equal(job.sender, toChecksumAddress(fromHex(account.address)), 'sender is EIP-55, as go-livepeer Address().Hex()');
  t.match(job.sig, /^0x[0-9a-f]{130}$/);
  const sig = fromHex(job.sig);
  t.ok(sig[64] === 27 || sig[64] === 28, 'V is 27 or 28');

  // The digest go-livepeer recovers from: TextHash(keccak256(request + parameters)).
  const inner = keccak256(new TextEncoder().encode(unsigned.request + unsigned.parameters));
  t.same(jobRequestSignatureMessage(unsigned.request, unsigned.parameters), inner);
  const digest = keccak256(Buffer.concat([Buffer.from('\x19Ethereum Signed Message:\n32', 'latin1'), inner]));
  const recovered = new SignatureVerifier().recoverDigest(digest, sig);
  t.ok('address' in recovered && toHex(recovered.address) === account.address.toLowerCase(), 'recovers the gateway address');
});

t.test('the Livepeer header round-trips and is Go-shaped JSON', async (t) => {
  const job = await signJobRequest(account, unsigned);
  const header = encodeJobRequestHeader(job);
  t.equal(
    Buffer.from(header, 'base64').toString('utf8'),
    `{"id":"job-1","request":"{\\"stream_id\\":\\"s1\\"}","parameters":"{\\"orchestrators\\":{}}","capability":"echo","capability_url":"","sender":"${job.sender}","sig":"${job.sig}","timeout_seconds":30}`,
    'Go field order, capability_url always present',
  );
  const decoded = decodeJobRequestHeader(header);
  t.same(decoded, job);
  const verified = verifyJobRequest(decoded);
  t.equal(toHex(verified.sender), account.address.toLowerCase());

  // A go-livepeer gateway also writes its untagged duration fields; they are ignored.
  const goJson = JSON.stringify({ ...job, capability_url: '', OrchSearchTimeout: 0, OrchSearchRespTimeout: 0 });
  t.same(decodeJobRequestHeader(Buffer.from(goJson).toString('base64')), job);
  // Signature hex without 0x is accepted (go-livepeer strips two characters only past 130).
  t.doesNotThrow(() => verifyJobRequest({ ...job, sig: job.sig.slice(2) }));
});

t.test('decode and verify failures are coded and name the problem', async (t) => {
  const job = await signJobRequest(account, unsigned);
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
  const fails = (fn: () => unknown, code: { is(e: unknown): boolean }, pattern: RegExp, name: string) => {
    try {
      fn();
      t.fail(`${name}: expected a throw`);
    } catch (error) {
      t.ok(code.is(error), `${name}: code`);
      t.match((error as Error).message, pattern, `${name}: message`);
    }
  };
  const o = errors.orchestrator;
  fails(() => decodeJobRequestHeader(undefined), o.JOB_REQUEST_MISSING, /missing/, 'missing');
  fails(() => decodeJobRequestHeader('A'.repeat(64), 16), o.JOB_REQUEST_TOO_LARGE, /64 bytes, the limit is 16/, 'too large');
  fails(() => decodeJobRequestHeader('not base64!'), o.JOB_REQUEST_MALFORMED, /std-base64/, 'not base64');
  fails(() => decodeJobRequestHeader(Buffer.from('{nope').toString('base64')), o.JOB_REQUEST_MALFORMED, /not JSON/, 'not JSON');
  fails(() => decodeJobRequestHeader(enc([1])), o.JOB_REQUEST_MALFORMED, /not an object/, 'array');
  fails(() => decodeJobRequestHeader(enc({ ...job, timeout_seconds: '30' })), o.JOB_REQUEST_MALFORMED, /timeout_seconds must be an integer/, 'string timeout');
  fails(() => decodeJobRequestHeader(enc({ ...job, request: { a: 1 } })), o.JOB_REQUEST_MALFORMED, /JobRequest\.request must be a string/, 'object request');
  fails(() => verifyJobRequest({ ...job, timeout_seconds: 0 }), o.JOB_REQUEST_NO_TIMEOUT, /timeout_seconds is required/, 'no timeout');
  fails(() => verifyJobRequest({ ...job, parameters: '{}' }), o.JOB_REQUEST_SIG_INVALID, /sig check failed.*signature_mismatch/, 'tampered parameters');
  fails(() => verifyJobRequest({ ...job, sig: '0x1234' }), o.JOB_REQUEST_SIG_INVALID, /65 bytes/, 'short sig');
  fails(() => verifyJobRequest({ ...job, sender: '0x1234' }), o.JOB_REQUEST_MALFORMED, /sender is not a 20-byte hex address/, 'bad sender');
  const other = privateKeyToAccount(generatePrivateKey());
  fails(() => verifyJobRequest({ ...job, sender: other.address }), o.JOB_REQUEST_SIG_INVALID, /sig check failed/, 'someone else');
  const noRequest = await signJobRequest(account, { ...unsigned, request: '' });
  fails(() => verifyJobRequest(noRequest), o.JOB_REQUEST_MALFORMED, /request is not JSON/, 'empty request');
  const noCap = await signJobRequest(account, { ...unsigned, capability: '' });
  fails(() => verifyJobRequest(noCap), o.JOB_REQUEST_MALFORMED, /capability is empty/, 'no capability');
});

t.test('Livepeer-Eth-Address: {addr, sig} over the EIP-55 address string as sent', async (t) => {
  const sender = await jobSenderFor(account);
  t.equal(sender.addr, toChecksumAddress(fromHex(account.address)));
  const header = encodeEthAddressHeader(sender);
  t.equal(Buffer.from(header, 'base64').toString('utf8'), `{"addr":"${sender.addr}","sig":"${sender.sig}"}`);
  t.same(decodeEthAddressHeader(header), sender);
  t.equal(toHex(verifyEthAddressHeader(sender)), account.address.toLowerCase());
  const message = keccak256(new TextEncoder().encode(sender.addr));
  t.equal(new SignatureVerifier().verify(fromHex(account.address), account.address.toLowerCase(), message, fromHex(sender.sig)), undefined, 'sig is over keccak256(EIP-55 string)');

  // go-livepeer verifies over the string as sent, so re-cased addresses fail.
  t.throws(() => verifyEthAddressHeader({ ...sender, addr: sender.addr.toLowerCase() }), { code: 'LPX_ERR_ORCHESTRATOR_ETH_ADDRESS_INVALID' });
  for (const bad of [undefined, '', '!!', Buffer.from('[]').toString('base64'), Buffer.from('{"addr":1,"sig":"x"}').toString('base64')]) {
    t.throws(() => decodeEthAddressHeader(bad), { code: 'LPX_ERR_ORCHESTRATOR_ETH_ADDRESS_INVALID' }, String(bad));
  }
});

t.test('JobToken: Go encoding/json shape, exact int64, round trip', async (t) => {
  const expirationParams = { creationRound: 100n, creationRoundBlockHash: new Uint8Array(32).fill(0x33) };
  const params: TicketParams = {
    recipient: new Uint8Array(20).fill(0x11),
    faceValue: 1000n,
    winProb: 0n,
    recipientRandHash: new Uint8Array(32).fill(0x22),
    seed: 258n,
    expirationBlock: 5040n,
    expirationParams,
  };
  const token = {
    senderAddress: { addr: '0xAb', sig: '0xcd' },
    ticketParams: params,
    balance: 12_345_678_901_234_567_890n,
    price: { pricePerUnit: 10n, pixelsPerUnit: 1n },
    serviceAddr: 'https://o.example:8935',
    availableCapacity: 2n,
  };
  const text = encodeJobToken(token);
  const b = (bytes: Uint8Array | number[]) => Buffer.from(Uint8Array.from(bytes)).toString('base64');
  t.equal(
    text,
    `{"sender_address":{"addr":"0xAb","sig":"0xcd"},"ticket_params":{"recipient":"${b(params.recipient)}","face_value":"${b([0x03, 0xe8])}",` +
      `"recipient_rand_hash":"${b(params.recipientRandHash)}","seed":"${b([1, 2])}","expiration_block":"${b([0x13, 0xb0])}",` +
      `"expiration_params":{"creation_round":100,"creation_round_block_hash":"${b(expirationParams.creationRoundBlockHash)}"}},` +
      `"balance":12345678901234567890,"price":{"pricePerUnit":10,"pixelsPerUnit":1},"service_addr":"https://o.example:8935","available_capacity":2,"LastNonce":0}\n`,
    'snake_case params, minimal big-endian bytes, zero win_prob omitted, camelCase price, trailing newline',
  );
  t.same(decodeJobToken(text), token, 'round trip keeps every digit');
  t.same(decodeJobToken('{"LastNonce":0}'), { balance: 0n, serviceAddr: '', availableCapacity: 0n }, 'omitempty fields come back as zero values');
  t.throws(() => decodeJobToken('{"ticket_params":{"recipient":"AAA="}}'), { code: 'LPX_ERR_ORCHESTRATOR_TOKEN_INVALID' });
  t.throws(() => decodeJobToken('nope'), { code: 'LPX_ERR_ORCHESTRATOR_TOKEN_INVALID' });
});

t.test('dedupe: one owner, waiters, kept results, tombstones, conflicts, expiry', async (t) => {
  let clock = 0;
  const dedupe = new JobDedupe({ now: () => clock, ttlMs: 1_000, maxResultBytes: 10 });
  const outcome = (body: string): JobOutcome => ({ status: 200, contentType: 'text/plain', body: Buffer.from(body) });

  const owner = dedupe.claim('k', 'f');
  t.equal(owner.kind, 'owner');
  const waiter = dedupe.claim('k', 'f');
  t.equal(waiter.kind, 'running');
  t.equal(dedupe.claim('k', 'other').kind, 'conflict');
  if (owner.kind !== 'owner' || waiter.kind !== 'running') throw new Error('unreachable');
  owner.complete(outcome('hello'));
  owner.abandon();
  t.same(await waiter.settled, outcome('hello'), 'the waiter gets the owner’s result');
  const done = dedupe.claim('k', 'f');
  t.same(done.kind === 'done' && done.outcome, outcome('hello'));

  const big = dedupe.claim('big', 'f');
  if (big.kind === 'owner') big.complete(outcome('0123456789ab'));
  const tomb = dedupe.claim('big', 'f');
  t.ok(tomb.kind === 'done' && tomb.outcome === undefined, 'a body over the budget leaves a tombstone');

  const gaveUp = dedupe.claim('g', 'f');
  const waiting = dedupe.claim('g', 'f');
  if (gaveUp.kind === 'owner') gaveUp.abandon();
  t.equal(waiting.kind === 'running' && (await waiting.settled), undefined, 'an abandoned run tells waiters to claim again');
  t.equal(dedupe.claim('g', 'f').kind, 'owner', 'an abandoned id can run again');

  clock = 5_000;
  t.equal(dedupe.claim('k', 'f').kind, 'owner', 'finished ids are forgotten after the TTL');
  t.equal(dedupe.claim('g', 'f').kind, 'running', 'running ids never expire');
});

t.test('billing seconds, retry advice, dispatch ids', async (t) => {
  t.equal(billedSeconds(0), 1n);
  t.equal(billedSeconds(1000), 1n);
  t.equal(billedSeconds(1000.2), 2n);
  t.equal(billedSeconds(2500), 3n);
  t.equal(retryAdvice(400, 'TicketParams expired'), 'same-orchestrator');
  t.equal(retryAdvice(400, 'invalid ticket senderNonce: already seen'), 'other-orchestrator');
  t.equal(retryAdvice(503, 'insufficient capacity'), 'other-orchestrator');
  t.equal(retryAdvice(500, 'boom'), 'other-orchestrator');
  t.equal(retryAdvice(400, 'Insufficient balance for request'), 'suspend');
  const id = dispatchRequestId(fromHex(account.address), 'job:1');
  t.match(id, /^byoc-[0-9a-f]{40}-[0-9a-f]{32}$/, 'no colon: a valid BullMQ custom id');
  t.equal(id, dispatchRequestId(fromHex(account.address), 'job:1'), 'stable');
  t.not(id, dispatchRequestId(fromHex(privateKeyToAccount(generatePrivateKey()).address), 'job:1'), 'per sender');
});
