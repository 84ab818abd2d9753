import { firstChoiceOf, type SelectionAlgorithm, type SelectionCandidate, type SelectionContext } from '../../extension-points/selection-algorithms.js';
import { seededRandom } from '../../selection/seeded-random.js';
import { defineConformanceSuite } from '../conformance.js';

const candidates: SelectionCandidate[] = Array.from({ length: 10 }, (_, i) => ({
  uri: `https://127.0.0.1:${9000 + i}`,
  stake: String((i + 1) * 1000),
  price: { pricePerUnit: BigInt(i + 1), pixelsPerUnit: 1n },
  latencyMs: 10 + i * 5,
}));

/** Draws per sample in the first-choice check: enough for a chi-square test over ten cells. */
const DRAWS = 3000;

/**
 * Upper 0.1 % point of chi-square with `df` degrees of freedom (Wilson–Hilferty).
 * The draws come from fixed seeds, so the verdict is the same on every run:
 * the level only decides how far apart two distributions may look.
 */
function chiSquareCritical(df: number): number {
  const z = 3.0902;
  const k = 2 / (9 * df);
  return df * (1 - k + z * Math.sqrt(k)) ** 3;
}

/** Counts per uri of `draw` over DRAWS calls sharing one seeded random stream. */
function histogram(draw: (random: () => number) => SelectionCandidate | undefined, seed: number): Map<string, number> {
  const random = seededRandom(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < DRAWS; i++) {
    const uri = draw(random)?.uri ?? '(none)';
    counts.set(uri, (counts.get(uri) ?? 0) + 1);
  }
  return counts;
}

/** Two-sample chi-square statistic for equal sample sizes, and its degrees of freedom. */
function chiSquare(a: Map<string, number>, b: Map<string, number>): { statistic: number; df: number } {
  let statistic = 0;
  const cells = new Set([...a.keys(), ...b.keys()]);
  for (const cell of cells) {
    const x = a.get(cell) ?? 0;
    const y = b.get(cell) ?? 0;
    statistic += (x - y) ** 2 / (x + y);
  }
  return { statistic, df: Math.max(1, cells.size - 1) };
}

/** Every selection algorithm passes this. */
export const selectionAlgorithmSuite = defineConformanceSuite<SelectionAlgorithm>({
  extensionPoint: 'selection.algorithms',
  cases: [
    {
      name: 'returns only candidates it was given, without duplicates',
      run(algorithm, assert) {
        const picked = algorithm.select(candidates, { capabilityId: 'video/transcode', random: seededRandom(1) });
        const known = new Set(candidates.map((c) => c.uri));
        const seen = new Set<string>();
        for (const c of picked) {
          assert.ok(known.has(c.uri), `unknown candidate ${c.uri}`);
          assert.ok(!seen.has(c.uri), `duplicate candidate ${c.uri}`);
          seen.add(c.uri);
        }
        assert.ok(picked.length > 0, 'must pick at least one of ten eligible candidates');
      },
    },
    {
      name: 'returns nothing for no candidates',
      run(algorithm, assert) {
        assert.equal(algorithm.select([], { capabilityId: 'video/transcode', random: seededRandom(2) }).length, 0, 'picks from an empty list');
      },
    },
    {
      name: 'never picks a candidate above the max price',
      run(algorithm, assert) {
        const maxPrice = { pricePerUnit: 3n, pixelsPerUnit: 1n };
        const picked = algorithm.select(candidates, { capabilityId: 'video/transcode', maxPrice, random: seededRandom(3) });
        for (const c of picked) {
          assert.ok(c.price === undefined || c.price.pricePerUnit * maxPrice.pixelsPerUnit <= maxPrice.pricePerUnit * c.price.pixelsPerUnit, `${c.uri} is above max price`);
        }
      },
    },
    {
      name: 'is deterministic for a given random source',
      run(algorithm, assert) {
        const a = algorithm.select(candidates, { capabilityId: 'video/transcode', random: seededRandom(4) }).map((c) => c.uri).join(',');
        const b = algorithm.select(candidates, { capabilityId: 'video/transcode', random: seededRandom(4) }).map((c) => c.uri).join(',');
        assert.equal(a, b, 'same seed must give the same picks');
      },
    },
    {
      name: 'first choice is a given candidate within the max price, and none for no candidates',
      run(algorithm, assert) {
        const maxPrice = { pricePerUnit: 3n, pixelsPerUnit: 1n };
        const context: SelectionContext = { capabilityId: 'video/transcode', maxPrice, random: seededRandom(5) };
        const first = firstChoiceOf(algorithm, candidates, context);
        assert.ok(first === undefined || candidates.includes(first), 'first choice must be one of the candidates given');
        assert.ok(first === undefined || first.price === undefined || first.price.pricePerUnit * maxPrice.pixelsPerUnit <= maxPrice.pricePerUnit * first.price.pixelsPerUnit, `${first?.uri} is above max price`);
        assert.equal(firstChoiceOf(algorithm, [], { capabilityId: 'video/transcode', random: seededRandom(6) }), undefined, 'first choice from an empty list');
        assert.equal(algorithm.first?.([], { capabilityId: 'video/transcode', random: seededRandom(6) }), undefined, 'first() of an empty list');
      },
    },
    {
      name: 'first choice agrees in distribution with the head of the full ordering (chi-square, fixed seeds)',
      run(algorithm, assert) {
        const context = (random: () => number): SelectionContext => ({ capabilityId: 'video/transcode', random });
        const viaFirst = histogram((random) => firstChoiceOf(algorithm, candidates, context(random)), 7);
        const viaSelect = histogram((random) => algorithm.select(candidates, context(random))[0], 8);
        const { statistic, df } = chiSquare(viaFirst, viaSelect);
        const critical = chiSquareCritical(df);
        const show = (h: Map<string, number>): string => [...h].map(([uri, n]) => `${uri.slice(-4)}:${n}`).join(' ');
        assert.ok(statistic <= critical, `first() and select()[0] differ: chi-square ${statistic.toFixed(1)} > ${critical.toFixed(1)} (df ${df}); first ${show(viaFirst)}; select ${show(viaSelect)}`);
      },
    },
    {
      name: 'first choice over a frozen list (work kept per list) agrees with a fresh list, per max price',
      run(algorithm, assert) {
        const frozen = Object.freeze([...candidates]);
        for (const [i, maxPrice] of [undefined, { pricePerUnit: 4n, pixelsPerUnit: 1n }, undefined].entries()) {
          const context = (random: () => number): SelectionContext => ({ capabilityId: 'video/transcode', random, ...(maxPrice !== undefined ? { maxPrice } : {}) });
          const kept = histogram((random) => firstChoiceOf(algorithm, frozen, context(random)), 20 + i);
          const fresh = histogram((random) => firstChoiceOf(algorithm, [...candidates], context(random)), 30 + i);
          const { statistic, df } = chiSquare(kept, fresh);
          assert.ok(statistic <= chiSquareCritical(df), `frozen and fresh lists differ (max price ${maxPrice?.pricePerUnit ?? 'none'}): chi-square ${statistic.toFixed(1)} (df ${df})`);
        }
      },
    },
    {
      name: 'first choice excluding a few agrees in distribution with the first choice over the rest',
      run(algorithm, assert) {
        const frozen = Object.freeze([...candidates]);
        for (const [i, skip] of [[0], [9, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8]].entries()) {
          const exclude = new Set(skip.map((k) => candidates[k]!.uri));
          const rest = candidates.filter((c) => !exclude.has(c.uri));
          const context = (random: () => number): SelectionContext => ({ capabilityId: 'video/transcode', random });
          const excluding = histogram((random) => firstChoiceOf(algorithm, frozen, context(random), exclude), 40 + i);
          const filtered = histogram((random) => firstChoiceOf(algorithm, rest, context(random)), 50 + i);
          for (const uri of exclude) assert.ok(!excluding.has(uri), `excluded ${uri} was chosen`);
          const { statistic, df } = chiSquare(excluding, filtered);
          assert.ok(statistic <= chiSquareCritical(df), `excluding ${skip.join(',')} differs from filtering: chi-square ${statistic.toFixed(1)} (df ${df})`);
        }
        const all = new Set(candidates.map((c) => c.uri));
        assert.equal(firstChoiceOf(algorithm, frozen, { capabilityId: 'video/transcode', random: seededRandom(60) }, all), undefined, 'everyone excluded: no choice');
      },
    },
  ],
});
