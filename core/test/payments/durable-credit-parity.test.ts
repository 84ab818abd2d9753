// The Redis store's Lua reimplements the NonceTracker rules (replays, duplicates
// inside one payment, the per-params cap) and the "credit the leading fresh
// tickets" rule of ADR 0103. Same inputs into both stores must give the same
// outcomes, credits and balances.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { Balances, MemoryCreditStore, NonceTracker, Rational, RedisCreditStore, type CreditStore, type TicketCredit } from '../../src/payments/index.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const SENDER = '0x' + 'ab'.repeat(20);

/** A deterministic pseudo-random sequence (tests must not flake). */
function lcg(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

t.test('memory and Redis stores agree on nonce outcomes, credits and balances', async (t) => {
  const redis = await testRedis(t);
  const client = await redis.connect();
  const maxNonces = 12;
  const memory = new MemoryCreditStore(new Balances(), new NonceTracker(maxNonces));
  const durable = new RedisCreditStore({ redis: client, prefix: uniquePrefix('parity'), recipient: randomBytes(20), maxNonces });
  const next = lcg(7);
  const ev = Rational.of(1000n, 3n);
  let credited = 0;
  const seen = new Set<string>();

  for (let round = 0; round < 60; round++) {
    const nonces = Array.from({ length: 1 + next(6) }, () => next(20));
    const credit: TicketCredit = {
      sender: SENDER,
      sessionId: `s${next(2)}`,
      paramsKey: `p${next(3)}`,
      expirationBlock: 100n,
      nonces,
      creditable: next(nonces.length + 1),
      ticketEV: ev,
    };
    const [a, b] = await Promise.all([memory.creditTickets(credit), durable.creditTickets(credit)]);
    t.same(b, a, `round ${round}: nonces ${nonces.join(',')} creditable ${credit.creditable}`);
    credited += a.creditedTickets;
    seen.add(a.outcomes.join());
    if (round % 7 === 3) {
      const amount = Rational.of(BigInt(1 + next(500)), 7n);
      const [x, y] = await Promise.all([memory.debit(SENDER, credit.sessionId, amount), durable.debit(SENDER, credit.sessionId, amount)]);
      t.ok(x.eq(y), `round ${round}: debit to ${x}`);
    }
  }
  const stores: CreditStore[] = [memory, durable];
  for (const session of ['s0', 's1']) {
    const [x, y] = await Promise.all(stores.map((s) => s.balance(SENDER, session)));
    t.ok(x === undefined ? y === undefined : y !== undefined && x.eq(y), `session ${session}: ${x} = ${y}`);
  }
  t.ok(credited > 0, `${credited} tickets credited`);
  for (const outcome of ['recorded', 'replayed', 'too_many']) t.ok([...seen].some((o) => o.includes(outcome)), `the sequence exercises ${outcome}`);
  t.ok(memory.nonces.trackedParams > 0);
  const [pa, pb] = await Promise.all(stores.map((s) => s.pruneExpired(100n)));
  t.equal(pb, pa, 'both prune the same number of nonce sets');
});

t.test('a session price fixes once in both stores, and a price-only session has a zero balance', async (t) => {
  const redis = await testRedis(t);
  const stores: CreditStore[] = [new MemoryCreditStore(), new RedisCreditStore({ redis: await redis.connect(), prefix: uniquePrefix('price'), recipient: randomBytes(20) })];
  for (const store of stores) {
    t.equal(await store.balance(SENDER, 'x'), undefined);
    t.ok((await store.fixPriceOnce(SENDER, 'x', Rational.of(3n, 2n))).eq(Rational.of(3n, 2n)));
    t.ok((await store.fixPriceOnce(SENDER, 'x', Rational.of(9n))).eq(Rational.of(3n, 2n)), 'the first price stays');
    t.ok((await store.fixedPrice(SENDER, 'x'))?.eq(Rational.of(3n, 2n)));
    t.ok((await store.balance(SENDER, 'x'))?.isZero(), 'priced but never paid: zero');
  }
});
