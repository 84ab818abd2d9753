// Gateway side: param validation, sessions and nonces, ticket counts, balance mirror.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { errors } from '@lpx/sdk';
import {
  Balances,
  BalanceUpdate,
  decodePaymentHeaderValue,
  GatewayPayer,
  MAX_WIN_PROB,
  PrivateKeyTicketSigner,
  Rational,
  stageUpdate,
  TicketSender,
  type TicketParams,
} from '../../src/payments/index.js';
import { InMemoryRoundsSource, InMemorySenderInfoSource } from '../../src/payments/testing/index.js';
import { createFixture, rejection } from './helpers/fixture.js';

function setup(limits = {}) {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const signer = new PrivateKeyTicketSigner(randomBytes(32));
  senderInfo.set(signer.address, { deposit: 10n ** 16n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 16n, claimedInCurrentRound: 0n } });
  const sender = new TicketSender({ signer, rounds, senderInfo, limits });
  const params: TicketParams = {
    recipient: randomBytes(20),
    faceValue: 10n ** 15n,
    winProb: MAX_WIN_PROB / 1000n, // EV ≈ 1e12
    recipientRandHash: randomBytes(32),
    seed: 1n,
    expirationBlock: rounds.l1Block + 40n,
    expirationParams: { creationRound: 7n, creationRoundBlockHash: randomBytes(32) },
  };
  return { rounds, senderInfo, signer, sender, params };
}

t.test('received params are validated in go-livepeer order with its texts', async (t) => {
  const s = setup();
  await s.sender.validateTicketParams(s.params);
  const cases: [string, TicketParams | undefined, string, RegExp][] = [
    ['nil', undefined, 'INVALID_TICKET_PARAMS', /^ticketParams is nil$/],
    ['expiration 0', { ...s.params, expirationBlock: 0n }, 'INVALID_TICKET_PARAMS', /^ticketParams expiration block is 0$/],
    ['1 block left', { ...s.params, expirationBlock: s.rounds.l1Block + 1n }, 'TICKET_PARAMS_EXPIRED', /^TicketParams expired$/],
    ['winProb max', { ...s.params, winProb: MAX_WIN_PROB }, 'FACE_VALUE_TOO_LOW', /^ticket faceValue too low faceValue=1000000000000000$/],
    ['EV over max', { ...s.params, winProb: MAX_WIN_PROB / 100n }, 'TICKET_EV_TOO_HIGH', /^ticket EV 10000000000000\.00000 > max ticket EV 3000000000000\.00000$/],
    ['face value over deposit', { ...s.params, faceValue: 10n ** 17n, winProb: MAX_WIN_PROB / 100_000n }, 'FACE_VALUE_TOO_HIGH', /^ticket faceValue 100000000000000000 > max faceValue 10000000000000000$/],
  ];
  for (const [what, params, code, text] of cases) {
    const error = await rejection(s.sender.validateTicketParams(params));
    t.equal(error.code, `LPX_ERR_PAYMENTS_${code}`, what);
    t.match(error.message, text, what);
  }
  await s.sender.validateTicketParams({ ...s.params, expirationBlock: s.rounds.l1Block + 2n });
  await s.sender.validateTicketParams({ ...s.params, faceValue: 0n, winProb: 0n, expirationBlock: s.rounds.l1Block + 2n });
  t.pass('two blocks left and zero-EV params are accepted');
});

t.test('the sender’s own funds: unlocking, no reserve, no deposit, total EV', async (t) => {
  const s = setup();
  const fund = { deposit: 10n ** 16n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 16n, claimedInCurrentRound: 0n } };
  const cases: [unknown, RegExp][] = [
    [{ ...fund, withdrawRound: s.rounds.round + 1n }, /^unable to validate sender: deposit and reserve is set to unlock soon$/],
    [{ ...fund, reserve: { fundsRemaining: 0n, claimedInCurrentRound: 0n } }, /^no sender reserve$/],
    [{ ...fund, deposit: 0n }, /^no sender deposit$/],
  ];
  for (const [info, text] of cases) {
    s.senderInfo.set(s.signer.address, info as never);
    const error = await rejection(s.sender.validateTicketParams(s.params));
    t.ok(errors.payments.SENDER_NOT_FUNDED.is(error));
    t.match(error.message, text);
  }
  s.senderInfo.set(s.signer.address, fund);
  const id = s.sender.startSession(s.params);
  const error = await rejection(s.sender.createTicketBatch(id, 30));
  t.ok(errors.payments.TOTAL_EV_TOO_HIGH.is(error), '30 × 1e12 > 2e13');
  t.match(error.message, /for 30 tickets > max total ticket EV 20000000000000\.00000$/);
  t.equal(s.sender.nonce(id), 0, 'a refused batch consumes no nonces');
  s.senderInfo.failure = new Error('rpc');
  t.ok(errors.payments.CHAIN_STATE_UNAVAILABLE.is(await rejection(s.sender.validateTicketParams(s.params))));
});

t.test('sessions: id is the recipientRandHash, nonces from 1, start nonce, cleanup', async (t) => {
  const s = setup();
  const id = s.sender.startSession(s.params, 10);
  t.match(id, /^0x[0-9a-f]{64}$/);
  const batch = await s.sender.createTicketBatch(id, 2);
  t.same(batch.senderParams.map((p) => p.senderNonce), [11, 12]);
  t.same(batch.expirationParams, s.params.expirationParams, 'the orchestrator’s expiration params are used');
  s.sender.cleanupSession(id);
  t.ok(errors.payments.UNKNOWN_SESSION.is(await rejection(s.sender.createTicketBatch(id, 1))));
  t.throws(() => s.sender.ev(id), { code: 'LPX_ERR_PAYMENTS_UNKNOWN_SESSION' });
  const full = s.sender.startSession(s.params, 0xffffffff);
  t.ok(errors.payments.NONCE_EXHAUSTED.is(await rejection(s.sender.createTicketBatch(full, 1))));
});

t.test('params without expiration params use the gateway’s own last round', async (t) => {
  const s = setup();
  const { expirationParams: _e, ...bare } = s.params;
  const batch = await s.sender.createTicketBatch(s.sender.startSession(bare), 1);
  t.same(batch.expirationParams, { creationRound: s.rounds.round, creationRoundBlockHash: s.rounds.blockHash });
});

t.test('stageUpdate ticket counts (core/accounting_test.go TestBalance_StageUpdate)', async (t) => {
  const cases: [Rational, Rational, Rational, number][] = [
    [Rational.of(1n), Rational.of(5n), Rational.of(1n), 4],
    [Rational.of(1n, 4n), Rational.of(2n), Rational.of(1n), 2],
    [Rational.of(-5n), Rational.of(2n), Rational.of(1n), 7],
    [Rational.of(5n), Rational.of(2n), Rational.of(1n), 0],
    [Rational.of(0n), Rational.of(2n), Rational.ZERO, 0],
  ];
  for (const [existing, min, ev, expected] of cases) {
    const balances = new Balances();
    balances.credit('o', 's', existing);
    const staged = stageUpdate(balances, 'o', 's', min, ev);
    t.equal(staged.numTickets, expected, `existing ${existing} min ${min}`);
    t.ok(staged.existingCredit.eq(existing));
    t.ok(balances.balance('o', 's')!.isZero(), 'the balance is set aside while the request is in flight');
    t.ok(staged.newCredit.eq(ev.mulInt(BigInt(expected))));
  }
});

t.test('balance update: abort restores, sent spends, settle gives change', async (t) => {
  const balances = new Balances();
  balances.credit('o', 's', Rational.of(3n));
  const aborted = new BalanceUpdate(balances, 'o', 's', stageUpdate(balances, 'o', 's', Rational.of(10n), Rational.of(2n)));
  aborted.abort();
  t.ok(balances.balance('o', 's')!.eq(Rational.of(3n)));
  const lost = new BalanceUpdate(balances, 'o', 's', stageUpdate(balances, 'o', 's', Rational.of(10n), Rational.of(2n)));
  lost.sent();
  lost.abort();
  t.ok(balances.balance('o', 's')!.isZero(), 'credit of a sent request with no answer is spent');
  const settled = new BalanceUpdate(balances, 'o', 's', stageUpdate(balances, 'o', 's', Rational.of(10n), Rational.of(2n)));
  t.equal(settled.numTickets, 5);
  settled.sent();
  settled.settle(Rational.of(7n));
  settled.settle(Rational.of(7n));
  t.ok(balances.balance('o', 's')!.eq(Rational.of(3n)), '0 + 10 − 7, settled once');
});

t.test('GatewayPayer pays an orchestrator end to end and mirrors its balance', async (t) => {
  const f = createFixture();
  const payer = new GatewayPayer(f.sender, new Balances());
  const params = await f.issue();
  const price = { pricePerUnit: f.price.num, pixelsPerUnit: f.price.den };
  const session = payer.startSession(params, price, 'auth-1');
  const ev = f.sender.ev(session.ticketSessionId);
  const fee = payer.fee(session, 10_000n); // 15,000 wei at 3/2
  const first = await payer.preparePayment(session, fee);
  t.equal(first.numTickets, Number(fee.div(ev).ceil()));
  first.update.sent();
  const receipt = await f.processor.processPayment(first.header, 'auth-1');
  t.ok(receipt.credited.eq(ev.mulInt(BigInt(first.numTickets))));
  (await f.processor.debit(f.signer.address, 'auth-1', 10_000n));
  first.update.settle(fee);
  t.ok(payer.balance(session)!.eq((await f.processor.balance(f.signer.address, 'auth-1'))!), 'gateway mirror equals orchestrator balance');

  const small = await payer.preparePayment(session, Rational.of(1n));
  const decoded = decodePaymentHeaderValue(small.header);
  t.equal(small.numTickets, decoded.ticketSenderParams.length);
  t.same(decoded.expectedPrice, price);

  f.senderInfo.set(f.signer.address, { ...f.funded, deposit: 0n });
  const before = payer.balance(session)!;
  await rejection(payer.preparePayment(session, fee.mulInt(10n)));
  t.ok(payer.balance(session)!.eq(before), 'a failed batch puts the set-aside balance back');
});
