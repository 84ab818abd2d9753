// The credit book's in-flight netting: a reservation per job sent, settled by its answer.
import t from 'tap';
import { Rational } from '../../src/payments/index.js';
import { CreditBook, creditKey, type CreditEntry } from '../../src/roles/gateway/credit-book.js';

const KEY = creditKey('https://o.example:8935', 'echo');
const TEN = Rational.of(10n);

t.test('what jobs in flight will be debited is not counted as available', async (t) => {
  const book = new CreditBook(() => {});
  const entry: CreditEntry = { balance: Rational.of(1000n), reserved: Rational.ZERO };
  book.set(KEY, entry);
  for (let i = 0; i < 3; i++) CreditBook.reserve(entry, TEN);
  t.same(CreditBook.available(entry), Rational.of(970n));
  // The first answer reports 990 (its own debit): the two others still running are netted out.
  book.settle(KEY, entry, TEN, 990n);
  t.same(entry.balance, Rational.of(990n));
  t.same(CreditBook.available(entry), Rational.of(970n));
  // An answer without a figure takes the expected cost as debited.
  book.settle(KEY, entry, TEN, undefined);
  t.same(CreditBook.available(entry), Rational.of(970n));
  book.settle(KEY, entry, TEN, 970n);
  t.same(entry.reserved, Rational.ZERO);
  t.same(CreditBook.available(entry), Rational.of(970n));
});

t.test('an answer for an entry forgotten or replaced meanwhile changes nothing', async (t) => {
  const book = new CreditBook(() => {});
  const old: CreditEntry = { balance: Rational.of(1000n), reserved: Rational.ZERO };
  book.set(KEY, old);
  CreditBook.reserve(old, TEN);
  const fresh: CreditEntry = { balance: Rational.of(50n), reserved: Rational.ZERO };
  book.set(KEY, fresh);
  book.settle(KEY, old, TEN, 5n);
  t.same(fresh.balance, Rational.of(50n), 'the fresh token’s balance stands');
  t.same(fresh.reserved, Rational.ZERO);
  book.forget(KEY);
  book.settle(KEY, fresh, TEN, 1n);
  t.equal(book.get(KEY), undefined);
});

t.test('a negative or absent figure never becomes the balance', async (t) => {
  const book = new CreditBook(() => {});
  const entry: CreditEntry = { balance: Rational.of(100n), reserved: TEN };
  book.set(KEY, entry);
  book.settle(KEY, entry, TEN, -5n);
  t.same(entry.balance, Rational.of(90n), 'treated as no figure: the cost is debited');
});
