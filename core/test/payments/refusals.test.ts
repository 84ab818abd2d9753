// Every way an orchestrator refuses a payment: coded error, nothing credited, counted.
import { randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { errors } from '@lpx/sdk';
import {
  PaymentProcessor,
  PrivateKeyTicketSigner,
  Rational,
  SECP256K1_N_FOR_TESTS,
  encodePaymentHeaderValue,
  fromHex,
  toHex,
  type Payment,
} from './helpers/exports.js';
import { InMemoryActiveSet } from '../../src/payments/testing/index.js';
import { createFixture, rejection } from './helpers/fixture.js';

type Fixture = ReturnType<typeof createFixture>;

/** Processes `payment` expecting a refusal; checks nothing was credited and nothing queued. */
async function refuse(t: Test, f: Fixture, payment: Payment | string, session = 's') {
  const queued = f.sink.records.length;
  const error = await rejection(f.processor.processPayment(payment, session));
  const balance = (await f.processor.balance(f.signer.address, session));
  t.ok(balance === undefined || balance.isZero(), 'nothing credited');
  t.equal(f.sink.records.length, queued, 'nothing queued');
  return error;
}

function withSig(payment: Payment, index: number, sig: Uint8Array): Payment {
  return { ...payment, ticketSenderParams: payment.ticketSenderParams.map((sp, i) => (i === index ? { ...sp, sig } : sp)) };
}

t.test('forged signature (signed by another key) is refused, non-fatal', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const forger = new PrivateKeyTicketSigner(randomBytes(32));
  const hash = (await import('../../src/payments/index.js')).ticketHash({
    recipient: payment.ticketParams!.recipient,
    sender: f.signer.address,
    faceValue: payment.ticketParams!.faceValue,
    winProb: payment.ticketParams!.winProb,
    senderNonce: 1,
    recipientRandHash: payment.ticketParams!.recipientRandHash,
    creationRound: payment.expirationParams!.creationRound,
    creationRoundBlockHash: payment.expirationParams!.creationRoundBlockHash,
  });
  const error = await refuse(t, f, withSig(payment, 0, forger.signMessage(hash)));
  t.ok(errors.payments.INVALID_SIGNATURE.is(error));
  t.equal(error.message, 'invalid ticket signature');
  t.equal(error.details?.['fatal'], false);
  t.equal(f.refusals.get('signature_mismatch'), 1);
});

t.test('high-S twin of a valid signature is refused', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const sig = payment.ticketSenderParams[0]!.sig;
  const s = BigInt(toHex(sig.subarray(32, 64)));
  const twin = new Uint8Array(65);
  twin.set(sig.subarray(0, 32), 0);
  twin.set(fromHex((SECP256K1_N_FOR_TESTS - s).toString(16).padStart(64, '0')), 32);
  twin[64] = sig[64] === 27 ? 28 : 27;
  const error = await refuse(t, f, withSig(payment, 0, twin));
  t.ok(errors.payments.INVALID_SIGNATURE.is(error));
  t.equal(error.details?.['reason'], 'signature_high_s');
  t.equal(error.details?.['fault'], 'signature s value too high');
});

t.test('wrong signature length and bad V are refused', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const short = await refuse(t, f, withSig(payment, 0, payment.ticketSenderParams[0]!.sig.subarray(0, 64)));
  t.equal(short.details?.['reason'], 'signature_length');
  const badV = Uint8Array.from(payment.ticketSenderParams[0]!.sig);
  badV[64] = 0;
  const v = await refuse(t, f, withSig(payment, 0, badV));
  t.equal(v.details?.['reason'], 'signature_v');
});

t.test('a bad ticket stops crediting for the rest of the payment, but later tickets are still checked', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(3);
  const broken = withSig(payment, 1, new Uint8Array(65));
  const error = await rejection(f.processor.processPayment(broken, 'p'));
  t.ok(errors.payments.INVALID_SIGNATURE.is(error));
  t.equal(error.details?.['creditedTickets'], 1);
  t.ok((await f.processor.balance(f.signer.address, 'p'))?.eq(
    (await import('../../src/payments/index.js')).ticketEV(payment.ticketParams!.faceValue, payment.ticketParams!.winProb),
  ), 'only the first ticket credited');
  // The third ticket's nonce was recorded: sending it again is a replay.
  const third = { ...payment, ticketSenderParams: [payment.ticketSenderParams[2]!] };
  t.ok(errors.payments.NONCE_REPLAYED.is(await rejection(f.processor.processPayment(third, 'p'))));
});

t.test('more than 600 nonces for one set of params are refused', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(601);
  const error = await rejection(f.processor.processPayment(payment, 'n'));
  t.ok(errors.payments.TOO_MANY_NONCES.is(error));
  t.match(error.message, /^invalid ticket senderNonce: too many values sender=0x[0-9a-fA-F]{40} nonce=601$/);
  t.equal(error.details?.['creditedTickets'], 600);
  t.equal(f.refusals.get('too_many_nonces'), 1);
  t.notOk(f.sink.records.some((r) => r.senderNonce === 601), 'the refused ticket is not queued even if it won');
});

t.test('tickets for another recipient are refused fatally', async (t) => {
  const f = createFixture();
  const other = createFixture();
  other.senderInfo.set(f.signer.address, f.funded);
  const params = await other.recipient.ticketParams(f.signer.address, f.price);
  const { payment } = await f.pay(2, params);
  const error = await refuse(t, f, payment);
  t.ok(errors.payments.INVALID_RECIPIENT.is(error));
  t.equal(error.message, 'invalid ticket recipient');
  t.equal(error.details?.['fatal'], true);
  t.equal(f.refusals.get('wrong_recipient'), 1);
});

t.test('echoed params that differ from the issued ones fail the recipientRand check', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const cases: [string, Payment][] = [
    ['face value', { ...payment, ticketParams: { ...payment.ticketParams!, faceValue: payment.ticketParams!.faceValue + 1n } }],
    ['seed', { ...payment, ticketParams: { ...payment.ticketParams!, seed: payment.ticketParams!.seed ^ 1n } }],
    ['expiration block', { ...payment, ticketParams: { ...payment.ticketParams!, expirationBlock: payment.ticketParams!.expirationBlock + 1n } }],
    ['price', { ...payment, expectedPrice: { pricePerUnit: 3n, pixelsPerUnit: 1n } }],
    ['creation round', { ...payment, expirationParams: { ...payment.expirationParams!, creationRound: 1n } }],
  ];
  for (const [what, tampered] of cases) {
    const error = await refuse(t, f, tampered);
    t.ok(errors.payments.INVALID_RECIPIENT_RAND.is(error), what);
    t.equal(error.message, 'invalid recipientRand for ticket recipientRandHash');
  }
  t.equal(f.refusals.get('recipient_rand_mismatch'), cases.length);
});

t.test('params from before a restart (another secret) are refused', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const restarted = createFixture();
  const processor = new PaymentProcessor({ ...restarted, recipient: new (await import('../../src/payments/index.js')).Recipient(
    { address: f.orchestratorAddress, economics: f.recipient.economics },
    { rounds: f.rounds, gasPrice: f.gasPrice, senderMonitor: f.senderMonitor },
  ) });
  restarted.senderInfo.set(f.signer.address, f.funded);
  t.ok(errors.payments.INVALID_RECIPIENT_RAND.is(await rejection(processor.processPayment(payment, 's'))));
});

t.test('expired params: refused, nothing credited, winners still queued', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(30);
  f.rounds.advanceL1Blocks(40n);
  const error = await rejection(f.processor.processPayment(payment, 'e'));
  t.ok(errors.payments.TICKET_PARAMS_EXPIRED.is(error));
  t.equal(error.message, 'TicketParams expired');
  t.ok((await f.processor.balance(f.signer.address, 'e'))?.isZero() ?? true, 'nothing credited');
  t.ok(f.sink.records.length > 0, 'winning tickets the sender chose to send are still redeemable');
  t.equal(f.refusals.get('params_expired'), 30);
});

t.test('a sender unlocking by the round after next is refused fatally', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  f.senderInfo.set(f.signer.address, { ...f.funded, withdrawRound: f.rounds.round + 1n });
  const error = await refuse(t, f, payment);
  t.ok(errors.payments.SENDER_UNLOCKING.is(error));
  t.match(error.message, /^deposit and reserve for sender 0x[0-9a-fA-F]{40} is set to unlock soon$/);
  f.senderInfo.set(f.signer.address, { ...f.funded, withdrawRound: f.rounds.round + 2n });
  await f.processor.processPayment(payment, 'ok');
  t.ok((await f.processor.balance(f.signer.address, 'ok'))!.sign() > 0, 'an unlock further out is fine');
});

t.test('chain outage while validating the sender is a coded, fatal error', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  f.senderInfo.failure = new Error('rpc down');
  const error = await refuse(t, f, payment);
  t.ok(errors.payments.CHAIN_STATE_UNAVAILABLE.is(error));
});

t.test('zero sender address is refused', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const error = await rejection(f.processor.processPayment({ ...payment, sender: new Uint8Array(20) }, 'z'));
  t.ok(errors.payments.INVALID_SENDER.is(error));
  t.equal(error.message, 'invalid ticket sender');
});

t.test('price problems: missing, zero denominator, negative', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const { expectedPrice: _dropped, ...noPrice } = payment;
  const missing = await refuse(t, f, noPrice);
  t.ok(errors.payments.INVALID_PRICE.is(missing));
  const zero = await refuse(t, f, { ...payment, expectedPrice: { pricePerUnit: 1n, pixelsPerUnit: 0n } });
  t.ok(errors.payments.INVALID_PRICE.is(zero));
  t.equal(zero.details?.['reason'], 'zero_price');
  const negative = await refuse(t, f, { ...payment, expectedPrice: { pricePerUnit: -1n, pixelsPerUnit: 1n } });
  t.ok(errors.payments.INVALID_PRICE.is(negative));
  t.equal(f.refusals.get('zero_price'), 1);
});

t.test('missing sender and missing expiration params', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const { sender: _s, ...noSender } = payment;
  const a = await refuse(t, f, noSender);
  t.ok(errors.payments.MISSING_SENDER.is(a));
  const { expirationParams: _e, ...noExpiration } = payment;
  const b = await refuse(t, f, noExpiration);
  t.ok(errors.payments.MISSING_EXPIRATION_PARAMS.is(b));
});

t.test('malformed headers are refused with 402 and counted', async (t) => {
  const f = createFixture();
  for (const header of ['not base64!', 'AAA', 'YWJj\u0000', '/////w==', 'CgQKAgEC']) {
    const error = await refuse(t, f, header);
    t.ok(errors.payments.MALFORMED_HEADER.is(error) || errors.payments.MALFORMED_FIELD.is(error), `${JSON.stringify(header)} → ${error.code}`);
  }
  t.equal(f.refusals.get('malformed_payment'), 5);
  const { payment } = await f.pay(1);
  t.equal((await rejection(f.processor.processPayment('!' + encodePaymentHeaderValue(payment), 's'))).status, 402);
});

t.test('a recipient outside the active set is refused', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const processor = new PaymentProcessor({ ...f, activeSet: new InMemoryActiveSet([]), refusals: f.refusals });
  const error = await rejection(processor.processPayment(payment, 's'));
  t.ok(errors.payments.ORCHESTRATOR_INACTIVE.is(error));
  t.match(error.message, /^orchestrator 0x[0-9a-fA-F]{40} is inactive in round 100, cannot process payments$/);
  const active = new PaymentProcessor({ ...f, activeSet: new InMemoryActiveSet([f.orchestratorAddress]) });
  t.equal((await active.processPayment(payment, 's')).creditedTickets, 1);
});

t.test('a sink failure is reported, but the credit for valid tickets stands', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(20);
  f.sink.failure = new Error('redis down');
  const error = await rejection(f.processor.processPayment(payment, 'k'));
  t.ok(errors.payments.WINNER_NOT_QUEUED.is(error));
  t.equal(error.status, 500);
  t.ok((await f.processor.balance(f.signer.address, 'k'))!.gt(Rational.ZERO));
});
