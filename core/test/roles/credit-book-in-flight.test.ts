// The credit book's in-flight netting: a reservation per job sent, per (orchestrator, capability)
// pair, settled by its answer or released when its request failed — kept across a fresh token.
import t from 'tap';
import { Rational } from '../../src/payments/index.js';
import { CreditBook, creditKey, type CreditEntry } from '../../src/roles/gateway/credit-book.js';

const KEY = creditKey('https://o.example:8935', 'echo');
const OTHER = creditKey('https://o.example:8935', 'other');
const TEN = Rational.of(10n);

t.test('what jobs in flight will be debited is not counted as available', async (t) => {
  const book = new CreditBook(() => {});
  const entry: CreditEntry = { balance: Rational.of(1000n) };
  book.set(KEY, entry);
  for (let i = 0; i < 3; i++) book.reserve(KEY, TEN);
  t.same(book.available(KEY, entry), Rational.of(970n));
  t.same(book.inFlight(OTHER), Rational.ZERO, 'another capability’s jobs are not this one’s');
  // The first answer reports 990 (its own debit): the two others still running are netted out.
  book.settle(KEY, entry, TEN, 990n);
  t.same(entry.balance, Rational.of(990n));
  t.same(book.available(KEY, entry), Rational.of(970n));
  // An answer without a figure takes the expected cost as debited.
  book.settle(KEY, entry, TEN, undefined);
  t.same(book.available(KEY, entry), Rational.of(970n));
  book.settle(KEY, entry, TEN, 970n);
  t.same(book.inFlight(KEY), Rational.ZERO);
  t.same(book.available(KEY, entry), Rational.of(970n));
});

t.test('a fresh token nets out the jobs still running on the entry it replaced', async (t) => {
  const book = new CreditBook(() => {});
  const old: CreditEntry = { balance: Rational.of(1000n) };
  book.set(KEY, old);
  book.reserve(KEY, TEN);
  book.reserve(KEY, TEN);
  // A refusal dropped the entry; the fresh token's balance still holds the two running jobs' debits.
  book.forget(KEY);
  const fresh: CreditEntry = { balance: Rational.of(50n) };
  book.set(KEY, fresh);
  t.same(book.available(KEY, fresh), Rational.of(30n), 'the two jobs sent before are netted out');
  // One of them is answered: its reservation ends, the fresh token's balance stands.
  book.settle(KEY, old, TEN, 5n);
  t.same(fresh.balance, Rational.of(50n), 'an answer for a replaced entry does not touch the balance');
  t.same(book.available(KEY, fresh), Rational.of(40n));
  // The other's request failed: released, it is not expected to be debited.
  book.release(KEY, TEN);
  t.same(book.available(KEY, fresh), Rational.of(50n));
  book.release(KEY, TEN);
  t.same(book.inFlight(KEY), Rational.ZERO, 'never below zero');
  book.forget(KEY);
  book.settle(KEY, fresh, TEN, 1n);
  t.equal(book.get(KEY), undefined, 'a forgotten entry stays forgotten');
});

t.test('a negative or absent figure never becomes the balance', async (t) => {
  const book = new CreditBook(() => {});
  const entry: CreditEntry = { balance: Rational.of(100n) };
  book.set(KEY, entry);
  book.reserve(KEY, TEN);
  book.settle(KEY, entry, TEN, -5n);
  t.same(entry.balance, Rational.of(90n), 'treated as no figure: the cost is debited');
});
