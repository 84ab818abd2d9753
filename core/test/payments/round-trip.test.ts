// Gateway and orchestrator talking through the encoded Livepeer-Payment header.
import t from 'tap';
import { errors } from '@lpx/sdk';
import {
  decodePaymentHeaderValue,
  deriveRecipientRand,
  auxData,
  fromHex,
  isWinningTicket,
  keccak256,
  MemoryCreditStore,
  personalMessageHash,
  Rational,
  recipientRandHash,
  SignatureVerifier,
  ticketEV,
  ticketHash,
  toHex,
} from '../../src/payments/index.js';
import { createFixture, rejection } from './helpers/fixture.js';

t.test('credit equals the sum of ticket EVs and exactly the winners reach the sink', async (t) => {
  const f = createFixture();
  const { header, params } = await f.pay(40);
  const receipt = await f.processor.processPayment(header, 'session-1');

  const ev = ticketEV(params.faceValue, params.winProb);
  let sum = Rational.ZERO;
  for (let i = 0; i < 40; i++) sum = sum.add(ev);
  t.ok(receipt.credited.eq(sum), 'receipt credit is 40 × EV');
  t.ok((await f.processor.balance(f.signer.address, 'session-1'))?.eq(sum), 'balance is 40 × EV');
  t.equal(receipt.creditedTickets, 40);

  const decoded = decodePaymentHeaderValue(header);
  const rand = deriveRecipientRand(f.secret, {
    ...params,
    sender: f.signer.address,
    price: params.price,
    auxData: auxData(params.expirationParams.creationRound, params.expirationParams.creationRoundBlockHash),
  });
  const expectedWinners = decoded.ticketSenderParams.filter((sp) => isWinningTicket(sp.sig, rand, params.winProb)).map((sp) => sp.senderNonce);
  t.ok(expectedWinners.length > 0 && expectedWinners.length < 40, `a ~50 % lottery has winners and losers (${expectedWinners.length})`);
  t.same(f.sink.records.map((r) => r.senderNonce), expectedWinners, 'every winner and only winners are queued');
  t.equal(receipt.winningTickets, expectedWinners.length);

  const verifier = new SignatureVerifier();
  for (const record of f.sink.records) {
    t.equal(toHex(recipientRandHash(BigInt(record.recipientRand))), record.recipientRandHash, 'the record reveals the right recipientRand');
    const hash = ticketHash({
      recipient: fromHex(record.recipient),
      sender: fromHex(record.sender),
      faceValue: BigInt(record.faceValue),
      winProb: BigInt(record.winProb),
      senderNonce: record.senderNonce,
      recipientRandHash: fromHex(record.recipientRandHash),
      creationRound: BigInt(record.creationRound),
      creationRoundBlockHash: fromHex(record.creationRoundBlockHash),
    });
    t.equal(toHex(hash), record.ticketHash);
    t.equal(verifier.verify(f.signer.address, toHex(f.signer.address), hash, fromHex(record.sig)), undefined, 'the sig is the sender’s');
    t.equal(record.auxData.length, 2 + 128, '64-byte auxData for redemption');
    t.equal(typeof JSON.parse(JSON.stringify(record)).faceValue, 'string', 'serialisable with decimal strings');
  }
  t.equal(toHex(personalMessageHash(new Uint8Array(32))).length, 66);
  t.equal(keccak256(new Uint8Array(0)).length, 32);
});

t.test('a replayed payment is refused, credits nothing and queues nothing again', async (t) => {
  const f = createFixture();
  const { header } = await f.pay(10);
  await f.processor.processPayment(header, 's');
  const balance = (await f.processor.balance(f.signer.address, 's'))!;
  const queued = f.sink.records.length;

  const error = await rejection(f.processor.processPayment(header, 's'));
  t.ok(errors.payments.NONCE_REPLAYED.is(error));
  t.match(error.message, /^invalid ticket senderNonce: already seen sender=0x[0-9a-fA-F]{40} nonce=1$/);
  t.equal(error.details?.['fatal'], false);
  t.ok((await f.processor.balance(f.signer.address, 's'))!.eq(balance), 'balance unchanged');
  t.equal(f.sink.records.length, queued, 'no winner queued twice');
  t.equal(f.refusals.get('nonce_replayed'), 10, 'each replayed ticket counted');
});

t.test('successive batches on one session use increasing nonces and all credit', async (t) => {
  const f = createFixture();
  const params = await f.issue();
  const sessionId = f.sender.startSession(params);
  const first = await f.sender.createTicketBatch(sessionId, 3);
  const second = await f.sender.createTicketBatch(sessionId, 2);
  t.same([...first.senderParams, ...second.senderParams].map((p) => p.senderNonce), [1, 2, 3, 4, 5]);
  t.equal(f.sender.nonce(sessionId), 5);
  const { paymentFromBatch, paymentHeader, priceToInfo } = await import('../../src/payments/index.js');
  for (const batch of [first, second]) await f.processor.processPayment(paymentHeader(paymentFromBatch(batch, priceToInfo(params.price))), 'x');
  t.ok((await f.processor.balance(f.signer.address, 'x'))?.eq(ticketEV(params.faceValue, params.winProb).mulInt(5n)));
});

t.test('debit after work, balance check and the fixed session price', async (t) => {
  const f = createFixture();
  const { header, params } = await f.pay(2);
  t.notOk((await f.processor.hasSufficientBalance(f.signer.address, 'w')), 'nothing before the payment');
  await f.processor.processPayment(header, 'w');
  t.ok((await f.processor.hasSufficientBalance(f.signer.address, 'w')));
  const before = (await f.processor.balance(f.signer.address, 'w'))!;
  const after = (await f.processor.debit(f.signer.address, 'w', 1000n));
  t.ok(after.eq(before.sub(params.price.mulInt(1000n))), 'debited fixed price × units');
  (await f.processor.debit(f.signer.address, 'w', 10n ** 9n));
  t.ok((await f.processor.balance(f.signer.address, 'w'))!.sign() < 0, 'balances may go negative');
  t.notOk((await f.processor.hasSufficientBalance(f.signer.address, 'w')));
  const error = await rejection(f.processor.requireSufficientBalance(f.signer.address, 'w'));
  t.ok(errors.payments.INSUFFICIENT_BALANCE.is(error));
  t.equal(error?.message, 'Insufficient balance');
  t.equal(f.refusals.get('insufficient_balance'), 1);

  // A later payment at another price does not move the fixed price.
  const other = await f.recipient.ticketParams(f.signer.address, Rational.of(9n));
  const again = await f.pay(1, other);
  const receipt = await f.processor.processPayment(again.header, 'w');
  t.ok(receipt.price?.eq(params.price), 'the first payment fixed the session price');
  await t.rejects(f.processor.debit(f.signer.address, 'unknown-session', 1n), { code: 'LPX_ERR_PAYMENTS_UNKNOWN_SESSION' });
});

t.test('a payment without ticket params fixes a zero price and credits nothing', async (t) => {
  const f = createFixture();
  const { paymentWithoutTickets, paymentHeader } = await import('../../src/payments/index.js');
  const receipt = await f.processor.processPayment(paymentHeader(paymentWithoutTickets(f.signer.address, { pricePerUnit: 0n, pixelsPerUnit: 1n })), 'free');
  t.equal(receipt.creditedTickets, 0);
  t.ok(receipt.price?.isZero());
  t.ok((await f.processor.hasSufficientBalance(f.signer.address, 'free')), 'free sessions pass the balance check');
  const empty = await f.processor.processPayment('', 'anon');
  t.equal(empty.sender, undefined, 'an empty header is an empty payment');
});

t.test('nonce sets are cleaned as L1 blocks pass the params expiry', async (t) => {
  const f = createFixture();
  f.processor.start();
  const nonces = (f.processor.credits as MemoryCreditStore).nonces;
  const { header } = await f.pay(3);
  await f.processor.processPayment(header, 'c');
  t.equal(nonces.trackedParams, 1);
  f.rounds.advanceL1Blocks(39n);
  t.equal(nonces.trackedParams, 1, 'kept until the expiration block');
  f.rounds.advanceL1Blocks(1n);
  t.equal(nonces.trackedParams, 0);
  f.processor.stop();
  t.ok(errors.payments.TICKET_PARAMS_EXPIRED.is(await rejection(f.processor.processPayment(header, 'c'))), 'a replay after clean-up fails the expiry check');
});

t.test('the PaymentsService plugins see', async (t) => {
  const { paymentsServiceFor, offchainPaymentsService } = await import('../../src/payments/index.js');
  const f = createFixture();
  const service = paymentsServiceFor(f.processor);
  const session = { sender: toHex(f.signer.address), sessionId: 'p' };
  await t.rejects(service.requireBalance(session), { code: 'LPX_ERR_PAYMENTS_INSUFFICIENT_BALANCE' });
  const { header, params } = await f.pay(4);
  await f.processor.processPayment(header, 'p');
  await service.requireBalance(session);
  const before = Rational.parse((await service.balance(session))!);
  t.ok(Rational.parse(await service.debit(session, 100n)).eq(before.sub(params.price.mulInt(100n))));
  await t.rejects(service.balance({ sender: 'nope', sessionId: 'p' }), { code: 'LPX_ERR_PAYMENTS_MALFORMED_FIELD' });
  t.equal(offchainPaymentsService.enabled, false);
  await offchainPaymentsService.requireBalance(session);
  t.equal(await offchainPaymentsService.debit(session, 5n), '0');
  t.equal(await offchainPaymentsService.balance(session), undefined);
});

t.test('a winning-ticket record converts to the redeemer Ticket message and back', async (t) => {
  const { winningTicketRecordToRedeemable, encodeRedeemableTicket, decodeRedeemableTicket } = await import('../../src/payments/index.js');
  const f = createFixture();
  const { header } = await f.pay(30);
  await f.processor.processPayment(header, 'r');
  t.ok(f.sink.records.length > 0, 'a ~50 % lottery over 30 tickets has a winner');
  const record = f.sink.records[0]!;
  const ticket = decodeRedeemableTicket(encodeRedeemableTicket(winningTicketRecordToRedeemable(record)));
  t.equal(toHex(ticket.sender), record.sender);
  t.equal(ticket.recipientRand.toString(), record.recipientRand);
  t.equal(ticket.ticketParams.expirationBlock.toString(), record.paramsExpirationBlock);
  t.equal(toHex(ticket.senderParams.sig), record.sig);
});
