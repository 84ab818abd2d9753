import t from 'tap';
import { Rational } from '../../src/payments/index.js';
import { CreditBook, DEFAULT_CREDIT_BOOK_ENTRIES, creditKey, type CreditEntry } from '../../src/roles/gateway/credit-book.js';

const entry = (): CreditEntry => ({ balance: Rational.of(0n) });

t.test('the credit book holds at most maxEntries, forgetting (and closing) the oldest', async (t) => {
  const forgotten: CreditEntry[] = [];
  const book = new CreditBook((e) => forgotten.push(e), 100);
  const entries: CreditEntry[] = [];
  for (let i = 0; i < 1_000; i++) {
    const e = entry();
    entries.push(e);
    book.set(creditKey(`https://o${i}.example:8935`, 'byoc/echo'), e);
  }
  t.equal(book.size, 100);
  t.equal(forgotten.length, 900, 'every evicted entry had its ticket session closed');
  t.equal(forgotten[0], entries[0], 'oldest first');
  t.equal(book.get(creditKey('https://o999.example:8935', 'byoc/echo')), entries[999]);
  t.equal(DEFAULT_CREDIT_BOOK_ENTRIES, 10_000);
});

t.test('an entry a job holds the lock for is not evicted under it', async (t) => {
  const book = new CreditBook(() => {}, 2);
  const busy = creditKey('https://busy', 'c');
  book.set(busy, entry());
  let release!: () => void;
  const held = book.exclusive(busy, () => new Promise<void>((r) => (release = r)));
  for (let i = 0; i < 10; i++) book.set(creditKey(`https://o${i}`, 'c'), entry());
  t.ok(book.get(busy), 'the busy entry stays');
  t.ok(book.size <= 3, `bounded (${book.size})`);
  while (release === undefined) await new Promise((r) => setImmediate(r));
  release();
  await held;
});
