// Protobuf field numbers, round trips and malformed input.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import protobuf from 'protobufjs';
import { errors } from '@lpx/sdk';
import {
  decodeBase64Strict,
  decodePayment,
  decodePaymentHeaderValue,
  decodeRedeemableTicket,
  encodePayment,
  encodePaymentHeaderValue,
  encodeRedeemableTicket,
  fromHex,
  toHex,
  type Payment,
} from '../../src/payments/index.js';
import { thrown } from './helpers/fixture.js';

const payment: Payment = {
  ticketParams: {
    recipient: randomBytes(20),
    faceValue: 10n ** 18n,
    winProb: (1n << 255n) + 12345n,
    recipientRandHash: randomBytes(32),
    seed: 42n,
    expirationBlock: 123456n,
  },
  sender: randomBytes(20),
  expirationParams: { creationRound: 4321n, creationRoundBlockHash: randomBytes(32) },
  ticketSenderParams: [
    { senderNonce: 1, sig: randomBytes(65) },
    { senderNonce: 0xffffffff, sig: randomBytes(65) },
  ],
  expectedPrice: { pricePerUnit: 9223372036854775807n, pixelsPerUnit: 3n },
};

t.test('encode → header → decode round-trips every field, including int64 and uint32 extremes', async (t) => {
  const decoded = decodePaymentHeaderValue(encodePaymentHeaderValue(payment));
  t.same(decoded, payment);
});

/** Hand-rolled wire reading, independent of protobufjs, to pin field numbers and wire types. */
function fieldTags(bytes: Uint8Array): number[] {
  const reader = protobuf.Reader.create(bytes);
  const tags: number[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    tags.push(tag);
    reader.skipType(tag & 7);
  }
  return tags;
}

t.test('field numbers and wire types match the Livepeer protocol', async (t) => {
  const bytes = encodePayment(payment);
  // (field << 3) | wireType: 1,2,3,4,4,5 as length-delimited.
  t.same(fieldTags(bytes), [(1 << 3) | 2, (2 << 3) | 2, (3 << 3) | 2, (4 << 3) | 2, (4 << 3) | 2, (5 << 3) | 2]);
  const reader = protobuf.Reader.create(bytes);
  reader.uint32();
  const params = reader.bytes();
  t.same(fieldTags(params), [1, 2, 3, 4, 5, 6].map((f) => (f << 3) | 2), 'TicketParams 1..6 bytes; expiration params travel in Payment field 3, not field 7');
  const price = protobuf.Reader.create(fromHex('0x08' + '2a' + '10' + '07'));
  t.same(decodePayment(Uint8Array.from([(5 << 3) | 2, 4, ...price.buf])).expectedPrice, { pricePerUnit: 42n, pixelsPerUnit: 7n }, 'PriceInfo 1 and 2 are varint int64');
  // TicketSenderParams: nonce = field 1 varint, sig = field 2 bytes; creation_round = field 1 varint.
  const sp = Uint8Array.from([0x08, 0x05, 0x12, 0x01, 0xaa]);
  t.same(decodePayment(Uint8Array.from([(4 << 3) | 2, sp.length, ...sp])).ticketSenderParams, [{ senderNonce: 5, sig: Uint8Array.from([0xaa]) }]);
});

t.test('zero integers are omitted on the wire (Go big.Int.Bytes() of 0 is empty)', async (t) => {
  const zero: Payment = { ...payment, ticketParams: { ...payment.ticketParams!, faceValue: 0n, winProb: 0n, seed: 0n } };
  const decoded = decodePayment(encodePayment(zero));
  t.equal(decoded.ticketParams?.faceValue, 0n);
  t.ok(encodePayment(zero).length < encodePayment(payment).length);
});

t.test('an empty header is an empty payment', async (t) => {
  t.same(decodePaymentHeaderValue(''), { ticketSenderParams: [] });
});

t.test('leading zeros in integer bytes are tolerated like Go SetBytes', async (t) => {
  const reencoded = encodePayment(payment);
  const msg = protobuf.loadSync((await import('../../src/payments/index.js')).PAYMENTS_PROTO_PATH).lookupType('net.Payment');
  const obj = msg.decode(reencoded) as unknown as { ticketParams: { seed: Uint8Array } };
  obj.ticketParams.seed = Uint8Array.from([0, 0, 42]);
  t.equal(decodePayment(msg.encode(obj).finish()).ticketParams?.seed, 42n);
});

t.test('malformed base64 and protobuf are MALFORMED_HEADER (402)', async (t) => {
  for (const bad of ['***', 'abc', 'ab=c', 'YW Jj', 'YWJj=']) {
    const error = thrown(() => decodeBase64Strict(bad));
    t.ok(errors.payments.MALFORMED_HEADER.is(error), bad);
    t.equal(error.status, 402);
  }
  t.same(decodeBase64Strict('YWJj'), new TextEncoder().encode('abc'));
  const truncated = encodePayment(payment).subarray(0, 30);
  t.ok(errors.payments.MALFORMED_HEADER.is(thrown(() => decodePayment(truncated))));
});

t.test('wrong field sizes are MALFORMED_FIELD', async (t) => {
  const cases: [string, Payment][] = [
    ['21-byte sender', { ...payment, sender: randomBytes(21) }],
    ['19-byte recipient', { ...payment, ticketParams: { ...payment.ticketParams!, recipient: randomBytes(19) } }],
    ['31-byte recipientRandHash', { ...payment, ticketParams: { ...payment.ticketParams!, recipientRandHash: randomBytes(31) } }],
    ['16-byte block hash', { ...payment, expirationParams: { creationRound: 1n, creationRoundBlockHash: randomBytes(16) } }],
    ['negative round', { ...payment, expirationParams: { creationRound: -1n, creationRoundBlockHash: randomBytes(32) } }],
  ];
  for (const [what, bad] of cases) {
    const error = thrown(() => decodePayment(encodePayment(bad)));
    t.ok(errors.payments.MALFORMED_FIELD.is(error), `${what}: ${error.message}`);
  }
  // A 33-byte face value (over uint256) cannot be encoded by us, so hand-craft it.
  const tp = Uint8Array.from([0x0a, 20, ...randomBytes(20), 0x12, 33, 1, ...new Uint8Array(32)]);
  t.ok(errors.payments.MALFORMED_FIELD.is(thrown(() => decodePayment(Uint8Array.from([0x0a, tp.length, ...tp])))));
});

t.test('an empty block hash decodes as the zero hash', async (t) => {
  const p = decodePayment(encodePayment({ ...payment, expirationParams: { creationRound: 0n, creationRoundBlockHash: new Uint8Array(0) } }));
  t.equal(toHex(p.expirationParams!.creationRoundBlockHash), '0x' + '00'.repeat(32));
});

t.test('redeemer Ticket message round-trips', async (t) => {
  const ticket = {
    ticketParams: { ...payment.ticketParams!, seed: 0n },
    sender: payment.sender!,
    expirationParams: payment.expirationParams!,
    senderParams: payment.ticketSenderParams[0]!,
    recipientRand: (1n << 200n) + 7n,
  };
  t.same(decodeRedeemableTicket(encodeRedeemableTicket(ticket)), ticket);
  t.ok(errors.payments.MALFORMED_HEADER.is(thrown(() => decodeRedeemableTicket(new Uint8Array(0)))), 'missing parts refused');
});

t.test('encoding refuses values with no wire form', async (t) => {
  t.throws(() => encodePayment({ ...payment, ticketSenderParams: [{ senderNonce: 2 ** 32, sig: new Uint8Array(65) }] }), RangeError);
  t.throws(() => encodePayment({ ...payment, ticketParams: { ...payment.ticketParams!, faceValue: -1n } }), RangeError);
});
