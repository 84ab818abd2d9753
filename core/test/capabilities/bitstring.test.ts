import t from 'tap';
import {
  bitstringFromDecimalStrings,
  bitstringOf,
  bitstringToDecimalStrings,
  capabilityIdsIn,
  clearCapabilityBit,
  hasCapabilityBit,
  isBitstringSubset,
  setCapabilityBit,
} from '../../src/capabilities/index.js';

t.test('bit i lives in word i/64 at bit i%64', async (t) => {
  const words: bigint[] = [];
  setCapabilityBit(words, 0);
  setCapabilityBit(words, 37);
  t.same(words, [1n | (1n << 37n)], 'only the words needed are added');
  setCapabilityBit(words, 64);
  setCapabilityBit(words, 127);
  t.same(words, [1n | (1n << 37n), 1n | (1n << 63n)]);
  t.ok(hasCapabilityBit(words, 127));
  t.notOk(hasCapabilityBit(words, 126));
  t.notOk(hasCapabilityBit(words, 500), 'beyond the words is clear');
  clearCapabilityBit(words, 37);
  clearCapabilityBit(words, 1000);
  t.same(words, [1n, 1n | (1n << 63n)], 'clearing beyond the words changes nothing');
  t.throws(() => setCapabilityBit(words, -1), RangeError);
  t.throws(() => hasCapabilityBit(words, 2.5), RangeError);
});

t.test('encode/decode round-trips and skips negative ids', async (t) => {
  const ids = [0, 5, 12, 37, 63, 64, 200];
  const words = bitstringOf([...ids, -1, -2]);
  t.equal(words.length, 4);
  t.same(capabilityIdsIn(words), ids);
  t.same(bitstringOf([]), []);
  t.same(capabilityIdsIn([]), []);
});

t.test('subset is word by word; a longer sub is never a subset', async (t) => {
  t.ok(isBitstringSubset([0b101n], [0b111n]));
  t.notOk(isBitstringSubset([0b1001n], [0b111n]));
  t.ok(isBitstringSubset([], [0b1n]));
  t.ok(isBitstringSubset([], []));
  t.ok(isBitstringSubset([0b1n], [0b1n, 0b1n]), 'a shorter sub is fine');
  t.notOk(isBitstringSubset([0b1n, 0n], [0b1n]), 'extra zero words still make it incompatible');
});

t.test('decimal strings carry uint64 words through JSON', async (t) => {
  const words = [0xffff_ffff_ffff_ffffn, 0x4005fffn];
  const strings = bitstringToDecimalStrings(words);
  t.same(strings, ['18446744073709551615', '67133439']);
  t.same(bitstringFromDecimalStrings(strings), words);
  t.same(bitstringFromDecimalStrings([7, 8n]), [7n, 8n]);
  t.throws(() => bitstringFromDecimalStrings(['18446744073709551616']), RangeError, 'above uint64');
  t.throws(() => bitstringFromDecimalStrings(['-1']), RangeError);
  t.throws(() => bitstringFromDecimalStrings(['0x10']), RangeError);
  t.throws(() => bitstringFromDecimalStrings([2 ** 60]), RangeError, 'unsafe numbers must be strings');
  t.throws(() => bitstringFromDecimalStrings([-1n]), RangeError);
});
