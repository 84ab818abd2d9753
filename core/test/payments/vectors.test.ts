// go-livepeer's own test vectors (reference §5), run against our implementation.
import t from 'tap';
import {
  auxData,
  fromHex,
  isWinningTicket,
  keccak256,
  MAX_WIN_PROB,
  parseAddress,
  personalMessageHash,
  recipientRandHash,
  SignatureVerifier,
  signatureShapeFault,
  ticketEV,
  ticketHash,
  toChecksumAddress,
  toHex,
  winProbRatio,
  Rational,
  nobleBackend,
  loadNativeBackend,
  type Ticket,
} from '../../src/payments/index.js';

const zeroTicket: Ticket = {
  recipient: new Uint8Array(20),
  sender: new Uint8Array(20),
  faceValue: 0n,
  winProb: 0n,
  senderNonce: 0,
  recipientRandHash: new Uint8Array(32),
  creationRound: 0n,
  creationRoundBlockHash: new Uint8Array(32),
};
const hashOf = (overrides: Partial<Ticket>) => toHex(ticketHash({ ...zeroTicket, ...overrides })).slice(2);

t.test('ticket hash vectors (pm/ticket_test.go TestHash)', async (t) => {
  t.equal(hashOf({ senderNonce: 4294967295 }), 'e1393fc7f6de093780674022f96cb8e3872235167d037c04d554e58c0e63d280');
  t.equal(hashOf({ senderNonce: 1 }), 'ce0918ba94518293e9712effbe5fca4f1f431089833a5b8c257cb1e024595f68');
  t.equal(hashOf({ faceValue: 1n, winProb: 500n }), '87ef13f2d37e4d5352a01d3c77b8179d80e0887f1953bfabfd0bfd7b0f689ddd');
  t.equal(hashOf({ faceValue: 500n, winProb: 1n }), 'aa4b35071043587992ac8b9dd1b2cf1d8311130e6458cf0b2342484e21af5f5b');
  t.equal(hashOf({ recipient: parseAddress('0x73AEd7b5dEb30222fa896f399d46cC99c7BEe57F') }), '81e353ae39046e2b77b9f996abbaeed527fda559b61ef90f299c4499dd508ccc');
  const h = fromHex('41b1a0649752af1b28b3dc29a1556eee781e4a4c3a1f7f53f90fa834de098c4d');
  t.equal(hashOf({ recipientRandHash: h }), 'be5eaf9a49a39540b9bb02f1a21904f61324a29819e2c032824bfaa10c100b17');
  t.equal(hashOf({ creationRound: 10n, creationRoundBlockHash: h }), 'e502907c16036ab3d11b78c5a2e93c20f3d6415c67f91de4ed01348182b3b2e2');
});

t.test('auxData vectors (TestAuxData)', async (t) => {
  const blk = fromHex('7624778dedc75f8b322b9fa1632a610d40b85e106c7d9bf0e743a9ce291b9c6f');
  const word5 = '00'.repeat(31) + '05';
  t.equal(toHex(auxData(0n, blk)), '0x' + '00'.repeat(32) + toHex(blk).slice(2));
  t.equal(toHex(auxData(5n, new Uint8Array(32))), '0x' + word5 + '00'.repeat(32));
  t.equal(auxData(0n, new Uint8Array(32)).length, 0);
  t.equal(toHex(auxData(5n, blk)), '0x' + word5 + toHex(blk).slice(2));
});

t.test('EV and win probability vectors (TestEV, TestWinProbRat)', async (t) => {
  t.equal(ticketEV(1000n, MAX_WIN_PROB / 2n).toFixed(0), '500');
  t.ok(ticketEV(1000n, MAX_WIN_PROB).eq(Rational.of(1000n)));
  t.ok(winProbRatio(MAX_WIN_PROB / 2n).lt(Rational.of(1n, 2n)), 'max/2 is just under one half (integer division)');
  t.equal(winProbRatio(MAX_WIN_PROB / 2n).toFixed(18), '0.500000000000000000');
  t.equal(winProbRatio(MAX_WIN_PROB / 4n).toFixed(18), '0.250000000000000000');
  t.ok(ticketEV(0n, MAX_WIN_PROB).isZero());
});

t.test('validator vectors (TestIsWinningTicket, derived hashes)', async (t) => {
  t.equal(toHex(recipientRandHash(10n)).slice(2), 'c65a7bb8d6351c1cf70c95a316cc6a92839c986682d98bc35f958f4883f9d2a8');
  const foo = new TextEncoder().encode('foo');
  const word10 = new Uint8Array(32);
  word10[31] = 10;
  t.equal(toHex(keccak256(new Uint8Array([...foo, ...word10]))).slice(2), '212117bf5ec66d480ab4d362ce2f1ae19d6b5df92c5f8633bcecf62bfaea6810');
  t.equal(isWinningTicket(foo, 10n, 0n), false, 'winProb 0 never wins');
  t.equal(isWinningTicket(foo, 10n, MAX_WIN_PROB), true, 'winProb max wins');
  const r = BigInt('0x212117bf5ec66d480ab4d362ce2f1ae19d6b5df92c5f8633bcecf62bfaea6810');
  t.equal(isWinningTicket(foo, 10n, r), false, 'strictly less than: equal does not win');
  t.equal(isWinningTicket(foo, 10n, r + 1n), true);
});

const vectorMsg = fromHex('b7da355477356fc4c47fcabcf232dc77a6db9b07b7e48b76261cc55cc8fbabb3');
const vectorSig = fromHex('206443228e8f784bc3a122de0d85eb3ebff82d6a79cca26c7eeb907099a6404f6dff57bc6828f28bd6cd073c89d94cf3364204679ed8365fa45b5ee6af19a9841c');
const highSSig = fromHex('e742ff452d41413616a5bf43fe15dd88294e983d3d36206c2712f39083d638bde0a0fc89be718fbc1033e1d30d78be1c68081562ed2e97af876f286f3453231d1b');
const vectorAddress = '0x3BadDb1eeE2105893136A3F96c8a963E9C6309d6';

for (const backend of [loadNativeBackend(), nobleBackend]) {
  if (backend === undefined) continue;
  t.test(`signature recovery vectors with the ${backend.name} backend (TestEcrecover, TestVerifySig)`, async (t) => {
    const verifier = new SignatureVerifier(backend);
    const recovered = verifier.recover(vectorMsg, vectorSig);
    t.ok('address' in recovered && toChecksumAddress(recovered.address) === vectorAddress, 'recovers over the EIP-191 digest');
    const raw = verifier.recoverDigest(vectorMsg, vectorSig);
    t.ok('address' in raw && toChecksumAddress(raw.address).toLowerCase().startsWith('0x38c68c9d'), 'the raw message recovers someone else');
    const addr = parseAddress(vectorAddress);
    t.equal(verifier.verify(addr, vectorAddress.toLowerCase(), vectorMsg, vectorSig), undefined);
    t.equal(verifier.verify(addr, vectorAddress.toLowerCase(), vectorMsg, highSSig), 'signature_high_s');
    t.equal(verifier.verify(addr, vectorAddress.toLowerCase(), vectorMsg, vectorSig.subarray(0, 64)), 'signature_length');
    const badV = Uint8Array.from(vectorSig);
    badV[64] = 1;
    t.equal(verifier.verify(addr, vectorAddress.toLowerCase(), vectorMsg, badV), 'signature_v');
    const otherMsg = Uint8Array.from(vectorMsg);
    otherMsg[0] = otherMsg[0]! ^ 1;
    t.equal(verifier.verify(addr, vectorAddress.toLowerCase(), otherMsg, vectorSig), 'signature_mismatch', 'a proven key does not vouch for another message');
  });
}

t.test('signature shape rules', async (t) => {
  t.equal(signatureShapeFault(highSSig), 'signature_high_s');
  t.equal(signatureShapeFault(new Uint8Array(66)), 'signature_length');
  t.equal(signatureShapeFault(vectorSig), undefined);
  t.equal(toHex(personalMessageHash(new Uint8Array(0))), toHex(keccak256(new TextEncoder().encode('\x19Ethereum Signed Message:\n0'))));
});
