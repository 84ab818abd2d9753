import t, { type Test } from 'tap';
import type { SelectionCandidate } from '@lpx/sdk';
import { runConformanceSuite, selectionAlgorithmSuite } from '@lpx/sdk/testing';
import { drawIndex, PROBABILITY_DEFAULTS, ProbabilitySelectionAlgorithm, selectionProbabilities } from '../src/index.js';
import { seededRandom } from '@lpx/sdk';

const ctx = { capabilityId: 'video/transcode' };
const RUNS = 10_000;

function candidate(port: number, extra: Partial<SelectionCandidate> = {}): SelectionCandidate {
  return { uri: `https://o${port}.example:${port}`, ...extra };
}

/** Counts first picks over `runs` seeded selections. */
function firstPicks(algorithm: ProbabilitySelectionAlgorithm, candidates: SelectionCandidate[], seed: number, extra: object = {}): Map<string, number> {
  const random = seededRandom(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < RUNS; i++) {
    const first = algorithm.select(candidates, { ...ctx, ...extra, random })[0];
    if (first) counts.set(first.uri, (counts.get(first.uri) ?? 0) + 1);
  }
  return counts;
}

/** Each count must sit within 4 binomial standard deviations of runs × p (a false failure is ~1 in 15,000 per check). */
function assertProportions(t: Test, counts: Map<string, number>, expected: Map<string, number>): void {
  for (const [uri, p] of expected) {
    const mean = RUNS * p;
    const sd = Math.sqrt(RUNS * p * (1 - p));
    const got = counts.get(uri) ?? 0;
    t.ok(Math.abs(got - mean) <= 4 * sd + 1e-9, `${uri}: ${got} picks, expected ${mean.toFixed(0)} ± ${(4 * sd).toFixed(0)}`);
  }
}

t.test('passes the selection conformance suite', async (t) => {
  const report = await runConformanceSuite(selectionAlgorithmSuite, () => new ProbabilitySelectionAlgorithm());
  t.same(report.failed, []);
});

t.test('defaults are go-livepeer’s', async (t) => {
  t.match(new ProbabilitySelectionAlgorithm().options, { stakeWeight: 0.7, priceWeight: 0, randWeight: 0.3, priceExpFactor: 100, minPerfScore: 0, ignoreMaxPriceIfNeeded: false });
  t.same(PROBABILITY_DEFAULTS, new ProbabilitySelectionAlgorithm().options);
});

t.test('weights that do not sum to 1 are refused, as go-livepeer refuses to start', async (t) => {
  t.throws(() => new ProbabilitySelectionAlgorithm({ stakeWeight: 0.7, randWeight: 0.2 }), { code: 'LPX_ERR_CONFIG_INVALID', message: /sum to 1/ });
  t.doesNotThrow(() => new ProbabilitySelectionAlgorithm({ stakeWeight: 0.69995, randWeight: 0.3 }), 'within the 1e-4 tolerance');
  t.throws(() => new ProbabilitySelectionAlgorithm({ priceExpFactor: 0 }), { code: 'LPX_ERR_CONFIG_INVALID' });
});

t.test('with price and random weight 0, picks are proportional to stake', async (t) => {
  const stakes = [1, 2, 3, 4];
  const candidates = stakes.map((s, i) => candidate(9000 + i, { stake: String(BigInt(s) * 10n ** 21n) }));
  const counts = firstPicks(new ProbabilitySelectionAlgorithm({ stakeWeight: 1, randWeight: 0, priceWeight: 0 }), candidates, 42);
  assertProportions(t, counts, new Map(candidates.map((c, i) => [c.uri, stakes[i]! / 10])));
});

t.test('default weights mix 0.7 × stake share with 0.3 × uniform', async (t) => {
  const candidates = [candidate(1, { stake: '9000' }), candidate(2, { stake: '1000' }), candidate(3, { stake: '0' })];
  const counts = firstPicks(new ProbabilitySelectionAlgorithm(), candidates, 7);
  assertProportions(t, counts, new Map([[candidates[0]!.uri, 0.7 * 0.9 + 0.1], [candidates[1]!.uri, 0.7 * 0.1 + 0.1], [candidates[2]!.uri, 0.1]]));
});

t.test('price weight favours cheap orchestrators by exp(-price/factor)', async (t) => {
  const candidates = [candidate(1, { price: { pricePerUnit: 0n, pixelsPerUnit: 1n } }), candidate(2, { price: { pricePerUnit: 300n, pixelsPerUnit: 2n } })];
  const weights = { stakeWeight: 0, randWeight: 0, priceWeight: 1, priceExpFactor: 100 };
  const probs = selectionProbabilities(candidates, weights);
  const cheap = 1 / (1 + Math.exp(-1.5));
  t.ok(Math.abs(probs[0]! - cheap) < 1e-12 && Math.abs(probs[1]! - (1 - cheap)) < 1e-12, `price shares ${probs.join(', ')}`);
  assertProportions(t, firstPicks(new ProbabilitySelectionAlgorithm(weights), candidates, 11), new Map([[candidates[0]!.uri, cheap], [candidates[1]!.uri, 1 - cheap]]));
});

t.test('zero total stake gives every candidate a stake share of 1.0 (go-livepeer’s zero-sum rule)', async (t) => {
  const probs = selectionProbabilities([candidate(1), candidate(2)], { ...PROBABILITY_DEFAULTS });
  t.same(probs.map((p) => Number(p.toFixed(12))), [0.85, 0.85], 'stake share is 1.0 for each, so the sum exceeds 1');
});

t.test('with no stake anywhere the picks spread over everyone, not over the first two of the list', async (t) => {
  // go-livepeer walks its shares in a Go map's random order; a fixed-order walk of shares summing to 5.9
  // with r ∈ [0, 1) gave 74 % / 26 % to the first two and nothing to the other six.
  const algorithm = new ProbabilitySelectionAlgorithm();
  const eight = Array.from({ length: 8 }, (_, i) => candidate(i + 1));
  const expected = new Map(eight.map((c) => [c.uri, 1 / 8]));
  assertProportions(t, firstPicks(algorithm, eight, 11), expected);
  const random = seededRandom(12);
  const counts = new Map<string, number>();
  const frozen = Object.freeze([...eight]);
  for (let i = 0; i < RUNS; i++) {
    const uri = algorithm.first(frozen, { ...ctx, random })!.uri;
    counts.set(uri, (counts.get(uri) ?? 0) + 1);
  }
  assertProportions(t, counts, expected);
  const retries = new Map<string, number>();
  for (let i = 0; i < RUNS; i++) {
    const uri = algorithm.firstExcluding(frozen, new Set([eight[0]!.uri]), { ...ctx, random })!.uri;
    retries.set(uri, (retries.get(uri) ?? 0) + 1);
  }
  assertProportions(t, retries, new Map(eight.slice(1).map((c) => [c.uri, 1 / 7])));
});

t.test('max price filter compares rationals exactly, without floats', async (t) => {
  // 10^30+1 / 10^12 vs 10^18: equal as float64, different as rationals.
  const maxPrice = { pricePerUnit: 10n ** 18n, pixelsPerUnit: 1n };
  const above = candidate(1, { price: { pricePerUnit: 10n ** 30n + 1n, pixelsPerUnit: 10n ** 12n }, stake: '1' });
  const exact = candidate(2, { price: { pricePerUnit: 10n ** 30n, pixelsPerUnit: 10n ** 12n }, stake: '1' });
  const unpriced = candidate(3, { stake: '1' });
  const picked = new ProbabilitySelectionAlgorithm().select([above, exact, unpriced], { ...ctx, maxPrice, random: seededRandom(1) });
  t.same(picked.map((c) => c.uri), [exact.uri], 'above the max and unpriced candidates are dropped');
});

t.test('no one under the max price: nothing, unless ignoreMaxPriceIfNeeded', async (t) => {
  const maxPrice = { pricePerUnit: 1n, pixelsPerUnit: 1n };
  const pricey = [candidate(1, { price: { pricePerUnit: 5n, pixelsPerUnit: 1n } }), candidate(2, { price: { pricePerUnit: 6n, pixelsPerUnit: 1n } })];
  t.same(new ProbabilitySelectionAlgorithm().select(pricey, { ...ctx, maxPrice }), []);
  t.equal(new ProbabilitySelectionAlgorithm({ ignoreMaxPriceIfNeeded: true }).select(pricey, { ...ctx, maxPrice }).length, 2);
  t.equal(new ProbabilitySelectionAlgorithm().select(pricey, ctx).length, 2, 'no max price, no filter');
});

t.test('performance filter keeps scores ≥ minPerfScore, and is dropped when no one passes', async (t) => {
  const algorithm = new ProbabilitySelectionAlgorithm({ minPerfScore: 0.5 });
  const good = candidate(1, { performance: 0.9 });
  const bad = candidate(2, { performance: 0.1 });
  const unknown = candidate(3);
  const first = algorithm.select([good, bad, unknown], { ...ctx, random: seededRandom(3) });
  t.equal(first[0]?.uri, good.uri, 'only the good one passes the filter first');
  t.same(new Set(first.slice(1).map((c) => c.uri)), new Set([bad.uri, unknown.uri]), 'after it is used, the filter is dropped for the rest, as go-livepeer does on retry');
  t.equal(algorithm.select([bad, unknown], { ...ctx, random: seededRandom(3) }).length, 2);
});

t.test('the order after the first pick is a fresh draw over the remaining, and duplicates collapse', async (t) => {
  const candidates = [candidate(1, { stake: '1' }), candidate(2, { stake: '1' }), candidate(1, { stake: '5' })];
  const picked = new ProbabilitySelectionAlgorithm().select(candidates, { ...ctx, random: seededRandom(9) });
  t.equal(picked.length, 2);
  t.same(new Set(picked.map((c) => c.uri)), new Set([candidates[0]!.uri, candidates[1]!.uri]));
});

t.test('a draw past the cumulative end (float rounding) falls back to the first', async (t) => {
  const algorithm = new ProbabilitySelectionAlgorithm();
  const picked = algorithm.select([candidate(1, { stake: '1' }), candidate(2, { stake: '1' })], { ...ctx, random: () => 1.5 });
  t.equal(picked[0]?.uri, candidate(1).uri);
});

t.test('the O(n log n) ordering draws exactly as the quadratic redraw loop it replaced', async (t) => {
  // The reference: redraw over the remaining candidates for every position (go-livepeer on each retry).
  const reference = (algorithm: ProbabilitySelectionAlgorithm, list: readonly SelectionCandidate[], random: () => number): string[] => {
    const remaining = [...list];
    const out: string[] = [];
    while (remaining.length > 0) {
      const i = drawIndex(selectionProbabilities(remaining, algorithm.options), random());
      out.push(remaining[i]!.uri);
      remaining.splice(i, 1);
    }
    return out;
  };
  const list: SelectionCandidate[] = Array.from({ length: 25 }, (_, i) => ({
    uri: `https://o${i}.example`,
    stake: i % 5 === 0 ? '0' : String(BigInt(i * 7919 % 101) * 10n ** 18n),
    price: { pricePerUnit: BigInt(100 + ((i * 31) % 50)), pixelsPerUnit: 1n },
  }));
  const weightings = [{}, { stakeWeight: 0.3, priceWeight: 0.3, randWeight: 0.4 }, { stakeWeight: 1, priceWeight: 0, randWeight: 0 }];
  for (const weights of weightings) {
    const algorithm = new ProbabilitySelectionAlgorithm(weights);
    let same = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const tree = algorithm.select(list, { capabilityId: 'c', random: seededRandom(seed) }).map((c) => c.uri);
      if (tree.join() === reference(algorithm, list, seededRandom(seed)).join()) same++;
    }
    t.equal(same, 200, `same ordering for every seed with ${JSON.stringify(weights)}`);
  }
  // Zero stakes everywhere: go-livepeer's zero-sum rule (every stake share 1.0) still holds.
  const unstaked = list.map((c) => ({ ...c, stake: '0' }));
  const algorithm = new ProbabilitySelectionAlgorithm();
  t.same(algorithm.select(unstaked, { capabilityId: 'c', random: seededRandom(9) }).map((c) => c.uri), reference(algorithm, unstaked, seededRandom(9)));
});

t.test('first() is go-livepeer’s single draw, the same whether its prefix sums were kept for a frozen list or not', async (t) => {
  const list: SelectionCandidate[] = Array.from({ length: 30 }, (_, i) => ({ uri: `https://o${i}.example`, stake: String(i * 13 % 7), price: { pricePerUnit: BigInt(10 + i), pixelsPerUnit: 1n } }));
  const frozen = Object.freeze([...list]);
  const algorithm = new ProbabilitySelectionAlgorithm({ stakeWeight: 0.5, priceWeight: 0.2, randWeight: 0.3 });
  for (let seed = 1; seed <= 100; seed++) {
    const expected = list[drawIndex(selectionProbabilities(list, algorithm.options), seededRandom(seed)())]!.uri;
    t.equal(algorithm.first(list, { capabilityId: 'c', random: seededRandom(seed) })?.uri, expected);
    t.equal(algorithm.first(frozen, { capabilityId: 'c', random: seededRandom(seed) })?.uri, expected);
  }
  const maxPrice = { pricePerUnit: 12n, pixelsPerUnit: 1n };
  for (let seed = 1; seed <= 20; seed++) t.ok(['https://o0.example', 'https://o1.example', 'https://o2.example'].includes(algorithm.first(frozen, { capabilityId: 'c', maxPrice, random: seededRandom(seed) })!.uri), 'a kept list is re-filtered for another max price');
});
