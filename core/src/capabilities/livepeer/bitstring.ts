/**
 * go-livepeer's capability bitstring: `repeated uint64`, capability `i` is bit
 * `i % 64` (LSB = 0) of word `i / 64`. We hold words as `bigint` because a
 * uint64 does not fit a JS number; JSON/config edges use decimal strings.
 */
export type CapabilityBitstring = bigint[];

const WORD_BITS = 64;
const UINT64_MAX = (1n << 64n) - 1n;

function position(id: number): { word: number; mask: bigint } {
  if (!Number.isInteger(id) || id < 0) throw new RangeError(`capability bit must be a non-negative integer, got ${id}`);
  return { word: Math.floor(id / WORD_BITS), mask: 1n << BigInt(id % WORD_BITS) };
}

/** Sets the bit, growing the word list as go-livepeer does (only as far as needed). */
export function setCapabilityBit(words: CapabilityBitstring, id: number): void {
  const { word, mask } = position(id);
  while (words.length <= word) words.push(0n);
  words[word] = (words[word] ?? 0n) | mask;
}

/** Clears the bit; a word beyond the list is already clear, so nothing grows. */
export function clearCapabilityBit(words: CapabilityBitstring, id: number): void {
  const { word, mask } = position(id);
  if (word >= words.length) return;
  words[word] = (words[word] ?? 0n) & ~mask;
}

export function hasCapabilityBit(words: readonly bigint[], id: number): boolean {
  const { word, mask } = position(id);
  return ((words[word] ?? 0n) & mask) !== 0n;
}

/** Negative ids (go-livepeer's Unused/Invalid) are skipped, as `NewCapabilityString` does. */
export function bitstringOf(ids: Iterable<number>): CapabilityBitstring {
  const words: CapabilityBitstring = [];
  for (const id of ids) if (id >= 0) setCapabilityBit(words, id);
  return words;
}

/** Ascending ids of every set bit. */
export function capabilityIdsIn(words: readonly bigint[]): number[] {
  const ids: number[] = [];
  words.forEach((word, index) => {
    for (let bit = 0; bit < WORD_BITS; bit++) if ((word >> BigInt(bit)) & 1n) ids.push(index * WORD_BITS + bit);
  });
  return ids;
}

/**
 * `sub ⊆ sup` word by word. Like go-livepeer, a `sub` with more words than
 * `sup` is never a subset, even when its extra words are zero.
 */
export function isBitstringSubset(sub: readonly bigint[], sup: readonly bigint[]): boolean {
  if (sub.length > sup.length) return false;
  return sub.every((word, index) => (word & (sup[index] ?? 0n)) === word);
}

export function bitstringToDecimalStrings(words: readonly bigint[]): string[] {
  return words.map((word) => word.toString(10));
}

/** Parses uint64 words from decimal strings (or safe integers); anything else is a RangeError. */
export function bitstringFromDecimalStrings(values: readonly (string | number | bigint)[]): CapabilityBitstring {
  return values.map((value) => {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`bitstring word ${value} is not a safe integer; send it as a decimal string`);
    if (typeof value === 'string' && !/^(0|[1-9][0-9]*)$/.test(value)) throw new RangeError(`bitstring word "${value}" is not a decimal uint64`);
    const word = BigInt(value);
    if (word < 0n || word > UINT64_MAX) throw new RangeError(`bitstring word ${word} is outside uint64`);
    return word;
  });
}
