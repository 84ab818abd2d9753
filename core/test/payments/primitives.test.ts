// Keccak, rationals, prices, balances and the nonce tracker.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { keccak_256 } from '@noble/hashes/sha3';
import { errors } from '@lpx/sdk';
import {
  autoAdjustPrice,
  Balances,
  feeFor,
  keccak256,
  NonceTracker,
  priceFromInfo,
  priceToInfo,
  Rational,
  toChecksumAddress,
  parseAddress,
  toHex,
  truncateToMilli,
} from '../../src/payments/index.js';
import { thrown } from './helpers/fixture.js';

t.test('keccak256 matches @noble/hashes on every length across three blocks', async (t) => {
  let mismatches = 0;
  for (let len = 0; len <= 410; len++) {
    const data = randomBytes(len);
    if (toHex(keccak256(data)) !== toHex(keccak_256(data))) mismatches++;
  }
  t.equal(mismatches, 0);
  t.equal(toHex(keccak256(new Uint8Array(0))), '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
});

t.test('EIP-55 checksums', async (t) => {
  for (const a of ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0x3BadDb1eeE2105893136A3F96c8a963E9C6309d6']) {
    t.equal(toChecksumAddress(parseAddress(a)), a);
  }
  t.throws(() => parseAddress('0x1234'));
});

t.test('rational arithmetic is exact and canonical', async (t) => {
  const a = Rational.of(6n, -4n);
  t.equal(a.toString(), '-3/2');
  t.ok(Rational.of(1n, 3n).add(Rational.of(1n, 6n)).eq(Rational.of(1n, 2n)));
  t.ok(Rational.of(1n, 3n).sub(Rational.of(1n, 3n)).isZero());
  t.equal(Rational.of(7n, 2n).floor(), 3n);
  t.equal(Rational.of(-7n, 2n).floor(), -4n);
  t.equal(Rational.of(7n, 2n).ceil(), 4n);
  t.equal(Rational.of(-7n, 2n).ceil(), -3n);
  t.equal(Rational.of(-7n, 2n).trunc(), -3n);
  t.equal(Rational.parse('10/4').toString(), '5/2');
  t.equal(Rational.of(2n, 3n).toFixed(3), '0.667', 'rounds half away from zero like Go FloatString');
  t.equal(Rational.of(-1n, 8n).toFixed(2), '-0.13');
  t.throws(() => Rational.of(1n, 0n), RangeError);
  t.throws(() => Rational.ONE.div(Rational.ZERO), RangeError);
  t.throws(() => Rational.parse('1.5'), RangeError);
  t.equal(JSON.stringify({ v: Rational.of(3n, 9n) }), '{"v":"1/3"}');
});

t.test('prices: PriceInfo conversion, fees, the 3-decimal truncation (TestPriceToFixed)', async (t) => {
  t.ok(priceFromInfo({ pricePerUnit: 10n, pixelsPerUnit: 4n }).eq(Rational.of(5n, 2n)));
  t.same(priceToInfo(Rational.of(10n, 4n)), { pricePerUnit: 5n, pixelsPerUnit: 2n });
  t.throws(() => priceToInfo(Rational.of(1n << 64n)), RangeError);
  t.ok(errors.payments.INVALID_PRICE.is(thrown(() => priceFromInfo(undefined))));
  t.ok(feeFor(Rational.of(3n), 8_346_240n).eq(Rational.of(25_038_720n)));
  for (const [price, fixed] of [[Rational.of(1n, 10n), 100n], [Rational.of(500n), 500_000n], [Rational.of(125n, 100n), 1250n], [Rational.of(1n, 5000n), 0n]] as const) {
    t.ok(truncateToMilli(price).eq(Rational.of(fixed, 1000n)), `${price} → ${fixed}`);
  }
  t.ok(autoAdjustPrice(Rational.of(1000n), Rational.of(100n)).eq(Rational.of(1010n)), '1 + 1/100 overhead');
  t.ok(autoAdjustPrice(Rational.of(1n, 3n), Rational.ZERO).eq(Rational.of(333n, 1000n)), 'no multiplier: only truncation');
  t.ok(autoAdjustPrice(Rational.ZERO, Rational.of(100n)).isZero());
});

t.test('balances: credit, debit, reserve, fixed price, TTL clean-up', async (t) => {
  let now = 0;
  const b = new Balances({ ttlMs: 100, now: () => now });
  t.equal(b.balance('0xAB', 's'), undefined);
  b.credit('0xAB', 's', Rational.of(5n));
  t.ok(b.balance('0xab', 's')!.eq(Rational.of(5n)), 'address keys are case-insensitive');
  b.debit('0xab', 's', Rational.of(7n));
  t.ok(b.balance('0xab', 's')!.eq(Rational.of(-2n)));
  t.ok(b.reserve('0xab', 's').eq(Rational.of(-2n)));
  t.ok(b.balance('0xab', 's')!.isZero());
  t.ok(b.fixPriceOnce('0xab', 's', Rational.of(3n)).eq(Rational.of(3n)));
  t.ok(b.fixPriceOnce('0xab', 's', Rational.of(4n)).eq(Rational.of(3n)), 'fixed once');
  now = 50;
  b.credit('0xcd', 't', Rational.ONE);
  now = 120;
  t.equal(b.cleanup(), 1);
  t.equal(b.size, 1);
  b.startCleanup()();
});

t.test('nonce tracker: replay, 600 cap, expiry clean-up', async (t) => {
  const n = new NonceTracker();
  t.equal(n.record('a', 1, 10n), 'recorded');
  t.equal(n.record('a', 1, 10n), 'replayed');
  t.equal(n.record('b', 1, 20n), 'recorded', 'nonces are per params');
  for (let i = 2; i <= 600; i++) n.record('a', i, 10n);
  t.equal(n.record('a', 601, 10n), 'too_many');
  t.equal(n.record('a', 600, 10n), 'replayed');
  t.equal(n.pruneExpired(9n), 0);
  t.equal(n.pruneExpired(10n), 1, 'expires at its expiration block');
  t.equal(n.record('a', 1, 30n), 'recorded', 'forgotten after expiry (the expiry check refuses such tickets)');
  t.equal(n.trackedParams, 2);
});
