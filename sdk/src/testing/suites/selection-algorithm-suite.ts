import type { SelectionAlgorithm, SelectionCandidate } from '../../extension-points/selection-algorithms.js';
import { seededRandom } from '../../selection/seeded-random.js';
import { defineConformanceSuite } from '../conformance.js';

const candidates: SelectionCandidate[] = Array.from({ length: 10 }, (_, i) => ({
  uri: `https://127.0.0.1:${9000 + i}`,
  stake: String((i + 1) * 1000),
  price: { pricePerUnit: BigInt(i + 1), pixelsPerUnit: 1n },
  latencyMs: 10 + i * 5,
}));

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
  ],
});
