// Ticket parameter generation: go-livepeer's TestTicketParams vectors and rules.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { errors } from '@lpx/sdk';
import {
  auxData,
  deriveRecipientRand,
  MAX_WIN_PROB,
  PARAMS_EXPIRATION_BLOCKS,
  Rational,
  Recipient,
  recipientRandHash,
  SenderMonitor,
  ticketEV,
  toHex,
  winProbForFaceValue,
} from '../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource } from '../../src/payments/testing/index.js';
import { CountingRefusals, rejection } from './helpers/fixture.js';

function setup(gasPrice: bigint, maxFloat: bigint) {
  const rounds = new InMemoryRoundsSource({ poolSize: 1n });
  const senderInfo = new InMemorySenderInfoSource();
  const sender = randomBytes(20);
  senderInfo.set(sender, { deposit: 10n ** 20n, withdrawRound: 0n, reserve: { fundsRemaining: maxFloat, claimedInCurrentRound: 0n } });
  const address = randomBytes(20);
  const secret = randomBytes(32);
  const refusals = new CountingRefusals();
  const recipient = new Recipient(
    { address, secret, economics: { ev: 5n, redeemGas: 10_000n, txCostMultiplier: 100n } },
    { rounds, gasPrice: new FixedGasPrice(gasPrice), senderMonitor: new SenderMonitor({ claimant: address }, rounds, senderInfo), refusals },
  );
  return { rounds, recipient, sender, secret, refusals };
}

t.test('face value and win probability vectors (pm/recipient_test.go TestTicketParams)', async (t) => {
  const one = Rational.of(1n);
  const cases: [bigint, bigint, bigint, string][] = [
    [100n, 10_000_000_000n, 100_000_000n, '5789604461865809771178549250434395392663499233282028201972879200395660'],
    [777n, 10_000_000_000n, 777_000_000n, '745122839364969082519761808292714979750772102095499125093034646125570'],
    [1n, 10_001n, 10_001n, '57890255593098787833002192285115442382396752657554526567072084795477017120'],
  ];
  for (const [gasPrice, maxFloat, faceValue, winProb] of cases) {
    const { recipient, sender } = setup(gasPrice, maxFloat);
    const params = await recipient.ticketParams(sender, one);
    t.equal(params.faceValue, faceValue, `faceValue at gas price ${gasPrice}`);
    t.equal(params.winProb.toString(), winProb, `winProb at gas price ${gasPrice}`);
    t.ok(ticketEV(params.faceValue, params.winProb).gte(Rational.of(5n)), 'effective EV is at least the configured EV');
  }
});

t.test('a max float below the EV is refused as insufficient sender reserve, and counted', async (t) => {
  const { recipient, sender, refusals } = setup(100n, 4n);
  const error = await rejection(recipient.ticketParams(sender, Rational.of(1n)));
  t.ok(errors.payments.INSUFFICIENT_RESERVE.is(error));
  t.equal(error.message, 'insufficient sender reserve');
  t.equal(refusals.get('insufficient_reserve'), 1);
});

t.test('the average-gas-price rule: a face value under both tx costs is refused', async (t) => {
  // txCost = 10,000 gas × 10 gwei = 1e14; the 3 gwei average gives 3e13.
  const low = setup(10_000_000_000n, 10n ** 13n);
  t.ok(errors.payments.INSUFFICIENT_RESERVE.is(await rejection(low.recipient.ticketParams(low.sender, Rational.of(1n)))));
  const enough = setup(10_000_000_000n, 5n * 10n ** 13n);
  t.equal((await enough.recipient.ticketParams(enough.sender, Rational.of(1n))).faceValue, 5n * 10n ** 13n, 'capped at max float, above the average-gas cost');
});

t.test('operator max face value caps the face value', async (t) => {
  const rounds = new InMemoryRoundsSource({ poolSize: 1n });
  const senderInfo = new InMemorySenderInfoSource();
  const sender = randomBytes(20);
  senderInfo.set(sender, { deposit: 1n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 20n, claimedInCurrentRound: 0n } });
  const address = randomBytes(20);
  const recipient = new Recipient(
    { address, economics: { ev: 5n, redeemGas: 10_000n, txCostMultiplier: 100n, maxFaceValue: 12_345_678n } },
    { rounds, gasPrice: new FixedGasPrice(100n), senderMonitor: new SenderMonitor({ claimant: address }, rounds, senderInfo) },
  );
  t.equal((await recipient.ticketParams(sender, Rational.of(1n))).faceValue, 12_345_678n);
});

t.test('a zero price gives zero face value and zero win probability', async (t) => {
  const { recipient, sender } = setup(100n, 4n);
  const params = await recipient.ticketParams(sender, Rational.ZERO);
  t.equal(params.faceValue, 0n);
  t.equal(params.winProb, 0n);
});

t.test('winProbForFaceValue: certainty at faceValue = EV, exact division, and ceiling', async (t) => {
  t.equal(winProbForFaceValue(5n, 5n), MAX_WIN_PROB);
  t.equal(winProbForFaceValue(0n, 5n), 0n);
  t.equal(winProbForFaceValue(3n, 1n), MAX_WIN_PROB / 3n, '2^256 − 1 is divisible by 3');
  t.equal(winProbForFaceValue(2n, 1n), MAX_WIN_PROB / 2n + 1n);
});

t.test('params bind seed, expiration, round and price into recipientRandHash', async (t) => {
  const { recipient, sender, secret, rounds } = setup(100n, 10n ** 10n);
  const price = Rational.of(7n, 3n);
  const params = await recipient.ticketParams(sender, price);
  t.equal(params.expirationBlock, rounds.l1Block + PARAMS_EXPIRATION_BLOCKS);
  t.same(params.expirationParams, { creationRound: rounds.round, creationRoundBlockHash: rounds.blockHash });
  const rand = deriveRecipientRand(secret, { ...params, sender, price, auxData: auxData(params.expirationParams.creationRound, params.expirationParams.creationRoundBlockHash) });
  t.equal(toHex(recipientRandHash(rand)), toHex(params.recipientRandHash));
  const other = await recipient.ticketParams(sender, price);
  t.not(other.seed, params.seed, 'a fresh seed per issue');
});

t.test('zero block hash of the last round falls back to the round before (Arbitrum quirk)', async (t) => {
  const { recipient, sender, rounds } = setup(100n, 10n ** 10n);
  rounds.blockHash = new Uint8Array(32);
  const params = await recipient.ticketParams(sender, Rational.of(1n));
  t.equal(params.expirationParams.creationRound, rounds.round - 1n);
  t.same(params.expirationParams.creationRoundBlockHash, rounds.preBlockHash);
});

t.test('txCostMultiplier is faceValue / txCost, 0 without gas cost', async (t) => {
  const { recipient, sender } = setup(100n, 10n ** 10n);
  t.equal((await recipient.txCostMultiplier(sender)).toString(), '100');
  const free = setup(0n, 10n ** 10n);
  t.ok((await free.recipient.txCostMultiplier(free.sender)).isZero());
});
