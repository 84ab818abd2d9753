// decodePaymentHeader: the JSON `lpx pm decode` prints.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { decodePaymentHeader, encodePaymentHeaderValue, toChecksumAddress } from '../../src/payments/index.js';
import { createFixture, thrown } from './helpers/fixture.js';

t.test('decodes a real payment: fields, hashes and recovered signers', async (t) => {
  const f = createFixture();
  const { header, params } = await f.pay(2);
  const out = decodePaymentHeader(header);
  t.equal(out.sender, toChecksumAddress(f.signer.address));
  t.equal(out.recipient, toChecksumAddress(f.orchestratorAddress));
  t.equal(out.faceValue, params.faceValue.toString());
  t.equal(out.winProb, params.winProb.toString());
  t.equal(out.expirationBlock, params.expirationBlock.toString());
  t.equal(out.creationRound, params.expirationParams.creationRound.toString());
  t.same(out.expectedPrice, { pricePerUnit: '3', pixelsPerUnit: '2' });
  t.same(out.tickets.map((x) => [x.senderNonce, x.signer, x.signatureValid]), [
    [1, out.sender, true],
    [2, out.sender, true],
  ]);
  t.match(out.tickets[0]!.hash, /^0x[0-9a-f]{64}$/);
  t.not(out.tickets[0]!.hash, out.tickets[1]!.hash);
  t.doesNotThrow(() => JSON.stringify(out));
});

t.test('a tampered ticket shows as an invalid signature with another signer', async (t) => {
  const f = createFixture();
  const { payment } = await f.pay(1);
  const tampered = { ...payment, ticketParams: { ...payment.ticketParams!, faceValue: 1n } };
  const out = decodePaymentHeader(encodePaymentHeaderValue(tampered));
  t.equal(out.tickets[0]!.signatureValid, false);
  t.not(out.tickets[0]!.signer, out.sender);
  const broken = { ...payment, ticketSenderParams: [{ senderNonce: 1, sig: new Uint8Array(10) }] };
  const honest = decodePaymentHeader(encodePaymentHeaderValue(payment)).tickets[0]!;
  const ticket = decodePaymentHeader(encodePaymentHeaderValue(broken)).tickets[0]!;
  t.same(ticket, { senderNonce: 1, hash: honest.hash, signer: null, signatureValid: false }, 'a malformed sig recovers nobody; the hash is still shown');
});

t.test('empty and malformed headers', async (t) => {
  const empty = decodePaymentHeader('');
  t.same(empty, { sender: null, recipient: null, faceValue: '0', winProb: '0', expirationBlock: '0', creationRound: '0', expectedPrice: null, tickets: [] });
  t.ok(errors.payments.MALFORMED_HEADER.is(thrown(() => decodePaymentHeader('%%%'))));
});
