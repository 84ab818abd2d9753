// BoundedMemo: the hot paths' remembered results (signer checksums, proven API keys, warm tiers, …).
import t from 'tap';
import { BoundedMemo } from '../../src/memo/bounded-memo.js';

t.test('keeps what it is given and computes a missing value once', async (t) => {
  const memo = new BoundedMemo<string, number>(4);
  let computed = 0;
  const compute = (key: string): number => {
    computed++;
    return key.length;
  };
  t.equal(memo.getOrSet('abc', compute), 3);
  t.equal(memo.getOrSet('abc', compute), 3);
  t.equal(computed, 1, 'the second call is answered from memory');
  t.ok(memo.has('abc'));
  t.equal(memo.get('zz'), undefined);
  t.equal(memo.set('zz', 9), 9, 'set returns what it kept');
  t.equal(memo.get('zz'), 9);
  t.equal(memo.size, 2);
});

t.test('a new key in a full memo starts it over; a known key does not', async (t) => {
  const memo = new BoundedMemo<number, string>(3);
  for (const key of [1, 2, 3]) memo.set(key, `v${key}`);
  memo.set(2, 'again');
  t.equal(memo.size, 3, 'replacing a kept key clears nothing');
  t.equal(memo.get(1), 'v1');
  memo.set(4, 'v4');
  t.equal(memo.size, 1, 'the fourth key found it full: only it is kept');
  t.equal(memo.get(1), undefined);
  t.equal(memo.get(4), 'v4');
  memo.clear();
  t.equal(memo.size, 0);
});

t.test('refuses a size that holds nothing', async (t) => {
  t.throws(() => new BoundedMemo(0), RangeError);
  t.throws(() => new BoundedMemo(1.5), RangeError);
});
