import t from 'tap';
import type { SelectionCandidate } from '@lpx/sdk';
import { runConformanceSuite, selectionAlgorithmSuite } from '@lpx/sdk/testing';
import { latencyScore, MinLSSelectionAlgorithm } from '../src/index.js';

const ctx = { capabilityId: 'video/transcode' };
const o = (name: string, extra: Partial<SelectionCandidate> = {}): SelectionCandidate => ({ uri: `https://${name}.example:8935`, ...extra });
const names = (list: SelectionCandidate[]) => list.map((c) => new URL(c.uri).hostname.split('.')[0]);

t.test('passes the selection conformance suite', async (t) => {
  const report = await runConformanceSuite(selectionAlgorithmSuite, () => new MinLSSelectionAlgorithm());
  t.same(report.failed, []);
});

t.test('latency score is RTT over max(1.5 s, segment duration)', async (t) => {
  t.equal(latencyScore(3000, 2000), 1.5);
  t.equal(latencyScore(1500, 1000), 1, 'a 1 s segment divides by the 1.5 s floor');
  t.equal(latencyScore(1000, 4000), 0.25);
});

t.test('good-enough known first (best first), then unknown in given order, then slow known', async (t) => {
  const candidates = [o('slow', { latencyMs: 5000 }), o('u1'), o('ok', { latencyMs: 1900 }), o('best', { latencyMs: 400 }), o('u2'), o('slower', { latencyMs: 9000 })];
  t.same(names(new MinLSSelectionAlgorithm().select(candidates, ctx)), ['best', 'ok', 'u1', 'u2', 'slow', 'slower']);
});

t.test('the threshold and segment duration are configurable; a score exactly at minLS is good enough', async (t) => {
  const candidates = [o('a', { latencyMs: 3000 }), o('u')];
  t.same(names(new MinLSSelectionAlgorithm({ segmentDurationMs: 3000 }).select(candidates, ctx)), ['a', 'u'], 'score 1.0 ≤ 1.0');
  t.same(names(new MinLSSelectionAlgorithm({ minLatencyScore: 0.5, segmentDurationMs: 3000 }).select(candidates, ctx)), ['u', 'a']);
});

t.test('with no unknown orchestrators left, the fastest slow one is used', async (t) => {
  t.same(names(new MinLSSelectionAlgorithm().select([o('s2', { latencyMs: 8000 }), o('s1', { latencyMs: 4000 })], ctx)), ['s1', 's2']);
});

t.test('max price applies to known and unknown alike, with exact rationals', async (t) => {
  const maxPrice = { pricePerUnit: 1n, pixelsPerUnit: 3n };
  const candidates = [
    o('fast-pricey', { latencyMs: 100, price: { pricePerUnit: 334n, pixelsPerUnit: 1000n } }),
    o('fast-cheap', { latencyMs: 200, price: { pricePerUnit: 333n, pixelsPerUnit: 1000n } }),
    o('unknown-pricey', { price: { pricePerUnit: 1n, pixelsPerUnit: 2n } }),
    o('unpriced'),
  ];
  t.same(names(new MinLSSelectionAlgorithm().select(candidates, { ...ctx, maxPrice })), ['fast-cheap']);
});
