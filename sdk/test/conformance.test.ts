import t from 'tap';
import { discoveryStrategySuite, runConformanceSuite, selectionAlgorithmSuite } from '../src/testing/index.js';
import type { DiscoveryStrategy, SelectionAlgorithm, SelectionCandidate, SelectionContext } from '../src/index.js';

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

t.test('selection algorithms: a first() that disagrees with the ordering in distribution fails', async (t) => {
  // Head of the ordering: weighted by position (candidate i with weight i+1); first() of `skewed` is uniform instead.
  const weightedHead = (candidates: readonly SelectionCandidate[], random: () => number): SelectionCandidate | undefined => {
    const total = (candidates.length * (candidates.length + 1)) / 2;
    let r = random() * total;
    for (const [i, c] of candidates.entries()) if ((r -= i + 1) < 0) return c;
    return candidates[candidates.length - 1];
  };
  const ordering = (candidates: readonly SelectionCandidate[], context: SelectionContext): SelectionCandidate[] => {
    const head = weightedHead(candidates, context.random ?? Math.random);
    return head === undefined ? [] : [head, ...candidates.filter((c) => c !== head)];
  };
  const agreeing: SelectionAlgorithm = { name: 'agreeing', select: ordering, first: (candidates, context) => weightedHead(candidates, context.random ?? Math.random) };
  const distinctNames = (r: { failed: { name: string }[] }) => r.failed.map((f) => f.name).filter((n) => !n.includes('max price'));
  t.same(distinctNames(await runConformanceSuite(selectionAlgorithmSuite, () => agreeing)), []);
  const skewed: SelectionAlgorithm = { name: 'skewed', select: ordering, first: (candidates, context) => candidates[Math.floor((context.random ?? Math.random)() * candidates.length)] };
  t.same(distinctNames(await runConformanceSuite(selectionAlgorithmSuite, () => skewed)), ['first choice agrees in distribution with the head of the full ordering (chi-square, fixed seeds)']);
});

t.test('a subject factory that throws fails every case instead of crashing', async (t) => {
  const report = await runConformanceSuite(discoveryStrategySuite, () => {
    throw new Error('cannot build');
  });
  t.equal(report.failed.length, discoveryStrategySuite.cases.length);
  t.match(report.failed[0]?.error, /cannot build/);
});
