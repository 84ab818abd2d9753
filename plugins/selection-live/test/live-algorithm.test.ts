import t from 'tap';
import type { SelectionCandidate } from '@lpx/sdk';
import { runConformanceSuite, selectionAlgorithmSuite } from '@lpx/sdk/testing';
import { LiveSelectionAlgorithm } from '../src/index.js';

const ctx = { capabilityId: 'ai/live-video-to-video' };
const o = (name: string, extra: Partial<SelectionCandidate> = {}): SelectionCandidate => ({ uri: `https://${name}.example:8935`, ...extra });
const names = (list: SelectionCandidate[]) => list.map((c) => new URL(c.uri).hostname.split('.')[0]);

t.test('passes the selection conformance suite', async (t) => {
  const report = await runConformanceSuite(selectionAlgorithmSuite, () => new LiveSelectionAlgorithm());
  t.same(report.failed, []);
});

t.test('lowest latency first; unknown latency last in given order; ties keep order', async (t) => {
  const candidates = [o('u1'), o('mid', { latencyMs: 50 }), o('tie', { latencyMs: 50 }), o('fast', { latencyMs: 5 }), o('u2')];
  t.same(names(new LiveSelectionAlgorithm().select(candidates, ctx)), ['fast', 'mid', 'tie', 'u1', 'u2']);
});

t.test('the first under the max price wins even if a faster one is pricier', async (t) => {
  const maxPrice = { pricePerUnit: 2n, pixelsPerUnit: 1n };
  const candidates = [o('fast', { latencyMs: 5, price: { pricePerUnit: 3n, pixelsPerUnit: 1n } }), o('next', { latencyMs: 9, price: { pricePerUnit: 4n, pixelsPerUnit: 2n } })];
  t.same(names(new LiveSelectionAlgorithm().select(candidates, { ...ctx, maxPrice })), ['next']);
});

t.test('no candidate has a price: the max price filter does not apply (go-livepeer)', async (t) => {
  const maxPrice = { pricePerUnit: 1n, pixelsPerUnit: 1n };
  t.same(names(new LiveSelectionAlgorithm().select([o('a', { latencyMs: 1 }), o('b')], { ...ctx, maxPrice })), ['a', 'b']);
});

t.test('ignores the random source: same order every time', async (t) => {
  const candidates = [o('b', { latencyMs: 2 }), o('a', { latencyMs: 1 })];
  const algorithm = new LiveSelectionAlgorithm();
  t.same(names(algorithm.select(candidates, { ...ctx, random: () => 0.99 })), names(algorithm.select(candidates, { ...ctx, random: () => 0 })));
});
