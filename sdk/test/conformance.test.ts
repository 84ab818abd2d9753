import t from 'tap';
import { discoveryStrategySuite, runConformanceSuite, selectionAlgorithmSuite } from '../src/testing/index.js';
import type { DiscoveryStrategy, SelectionAlgorithm } from '../src/index.js';

t.test('a well-behaved discovery strategy passes', async (t) => {
  const strategy: DiscoveryStrategy = { name: 'fixed', discover: async () => [{ uri: 'https://127.0.0.1:8935' }, { uri: 'https://127.0.0.1:8936' }] };
  const report = await runConformanceSuite(discoveryStrategySuite, () => strategy);
  t.same(report.failed, []);
  t.equal(report.passed.length, discoveryStrategySuite.cases.length);
});

t.test('a broken discovery strategy fails the right cases', async (t) => {
  const strategy: DiscoveryStrategy = { name: '', discover: async () => [{ uri: 'ftp://x' }, { uri: 'ftp://x' }] };
  const report = await runConformanceSuite(discoveryStrategySuite, () => strategy);
  t.same(report.failed.map((f) => f.name).sort(), ['has a non-empty name', 'returns candidates with https uris and unique entries']);
  t.match(report.failed.find((f) => f.name.startsWith('returns'))?.error, /ftp:\/\/x must be an http\(s\) url/);
});

t.test('selection algorithms: greedy-cheapest passes, a price-blind one fails', async (t) => {
  const cheapest: SelectionAlgorithm = {
    name: 'cheapest',
    select: (candidates, context) =>
      [...candidates]
        .filter((c) => !context.maxPrice || !c.price || c.price.pricePerUnit * context.maxPrice.pixelsPerUnit <= context.maxPrice.pricePerUnit * c.price.pixelsPerUnit)
        .sort((a, b) => Number((a.price?.pricePerUnit ?? 0n) - (b.price?.pricePerUnit ?? 0n))),
  };
  t.same((await runConformanceSuite(selectionAlgorithmSuite, () => cheapest)).failed, []);
  const blind: SelectionAlgorithm = { name: 'blind', select: (candidates) => [...candidates] };
  const report = await runConformanceSuite(selectionAlgorithmSuite, () => blind);
  t.same(report.failed.map((f) => f.name), ['never picks a candidate above the max price']);
  const random: SelectionAlgorithm = { name: 'random', select: (candidates) => (candidates.length ? [candidates[Math.floor(Math.random() * candidates.length)]!] : []) };
  const randomReport = await runConformanceSuite(selectionAlgorithmSuite, () => random);
  t.ok(randomReport.failed.some((f) => f.name === 'never picks a candidate above the max price' || f.name === 'is deterministic for a given random source'), 'ignoring the random source and price is caught');
});

t.test('a subject factory that throws fails every case instead of crashing', async (t) => {
  const report = await runConformanceSuite(discoveryStrategySuite, () => {
    throw new Error('cannot build');
  });
  t.equal(report.failed.length, discoveryStrategySuite.cases.length);
  t.match(report.failed[0]?.error, /cannot build/);
});
