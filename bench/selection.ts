/**
 * Selection over 10,000 orchestrators, against a plain sort of the same
 * candidates by stake measured in the same run:
 *   1. each built-in algorithm's full ordering `select()` and its first choice
 *      `first()` (probability: plugins/selection-stake; min-ls, live);
 *   2. the gateway pool's `pick()` per job at 1k and 10k cached replies, with
 *      the algorithm's `first()` and without it (head of the full ordering),
 *      plus `usable()` and `refreshDue()` with nothing changed (ADR 0055);
 *   3. the probability ordering at 1k, 2k and 10k (O(n log n) since ADR 0055).
 * Prints ms per call and ratios; no thresholds. Run: node --import tsx bench/selection.ts
 */
import { filterByMaxPrice, seededRandom, type SelectionAlgorithm, type SelectionCandidate } from '@lpx/sdk';
import { MinLSSelectionAlgorithm } from '@lpx/plugin-selection-latency';
import { LiveSelectionAlgorithm } from '@lpx/plugin-selection-live';
import { drawIndex, PROBABILITY_DEFAULTS, ProbabilitySelectionAlgorithm, selectionProbabilities } from '@lpx/plugin-selection-stake';
import { OrchestratorPool } from '../core/src/gateway/pool/index.js';
import type { OrchestratorInfo } from '../core/src/network/index.js';

const N = Number(process.env['BENCH_CANDIDATES'] ?? 10_000);
const MS = Number(process.env['BENCH_MS'] ?? 1_500);
const context = { capabilityId: 'video/transcode', maxPrice: { pricePerUnit: 1_900n, pixelsPerUnit: 1n } };

function candidates(n: number, seed = 42): SelectionCandidate[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => ({
    uri: `https://o${i}.example:8935`,
    address: `0x${i.toString(16).padStart(40, '0')}`,
    stake: (BigInt(Math.floor(random() * 1e9)) * 10n ** 15n).toString(),
    price: { pricePerUnit: 1_000n + BigInt(Math.floor(random() * 1_000)), pixelsPerUnit: 1n },
    latencyMs: 5 + random() * 300,
  }));
}

/** Mean ms per call over at least `minMs` (and at least `minRuns` calls), after one warm-up call. */
function msPerCall(fn: () => unknown, minMs = MS, minRuns = 3): number {
  fn();
  let runs = 0;
  const start = performance.now();
  while (runs < minRuns || performance.now() - start < minMs) {
    fn();
    runs++;
  }
  return (performance.now() - start) / runs;
}

/** The baseline: what any selection has to beat, sorting the same candidates by stake. */
function sortByStake(list: readonly SelectionCandidate[]): SelectionCandidate[] {
  // Stakes as float64, as go-livepeer's algorithm reads them; parsed once, not per comparison.
  return list
    .map((c) => ({ c, stake: Number(c.stake) }))
    .sort((a, b) => b.stake - a.stake)
    .map((x) => x.c);
}

function probabilityFirstPick(list: readonly SelectionCandidate[], random: () => number): SelectionCandidate {
  const eligible = filterByMaxPrice(list, context.maxPrice);
  return eligible[drawIndex(selectionProbabilities(eligible, PROBABILITY_DEFAULTS), random())]!;
}

async function poolWith(list: readonly SelectionCandidate[]): Promise<OrchestratorPool> {
  const byUri = new Map(list.map((c) => [c.uri, c]));
  const pool = new OrchestratorPool({
    candidates: async () => list.map((c) => ({ uri: c.uri })),
    // Synthetic replies: this bench is about selection, bench/discovery.ts covers the wire.
    fetchInfo: async (uri) => {
      const c = byUri.get(uri)!;
      return {
        transcoder: uri,
        address: Uint8Array.from(Buffer.from(c.address!.slice(2), 'hex')),
        priceInfo: c.price!,
        hardware: [],
        storage: [],
        capabilitiesPrices: [],
        nodes: [],
      } satisfies OrchestratorInfo;
    },
  }, { maxPrice: context.maxPrice, stakeOf: (address) => byUri.get(`https://o${parseInt(address.slice(2), 16)}.example:8935`)?.stake });
  await pool.discover();
  return pool;
}

const fmt = (ms: number) => `${ms < 1 ? ms.toFixed(3) : ms.toFixed(1)} ms`.padStart(11);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`.padStart(9);

/** The same algorithm without its `first`: the kernel then takes the head of the full ordering. */
function orderingOnly(algorithm: SelectionAlgorithm): SelectionAlgorithm {
  return { name: algorithm.name, select: (candidates, ctx) => algorithm.select(candidates, ctx) };
}

async function main(): Promise<void> {
  const list = candidates(N);
  const random = seededRandom(7);
  const baseline = msPerCall(() => sortByStake(list));
  console.log(`selection bench (${N.toLocaleString('en-US')} candidates, node ${process.version}); baseline = sort by stake`);
  console.log(`  sort by stake (baseline)                      ${fmt(baseline)}`);

  const rows: [string, number, number][] = [];
  rows.push(['probability: one pick (go-livepeer Select)', msPerCall(() => probabilityFirstPick(list, random)), baseline]);
  const algorithms: SelectionAlgorithm[] = [new ProbabilitySelectionAlgorithm(), new MinLSSelectionAlgorithm(), new LiveSelectionAlgorithm()];
  for (const algorithm of algorithms) rows.push([`${algorithm.name}: select() full ordering`, msPerCall(() => algorithm.select(list, { ...context, random })), baseline]);
  for (const algorithm of algorithms) rows.push([`${algorithm.name}: first()`, msPerCall(() => algorithm.first!(list, { ...context, random })), baseline]);
  for (const [name, ms, base] of rows) console.log(`  ${name.padEnd(45)} ${fmt(ms)} ${ratio(ms, base)} of baseline`);

  // The gateway's per-job call, end to end: pool.pick() with the algorithm's first() against the same
  // algorithm without it (head of the full ordering), over pools of 1k and 10k cached replies.
  console.log('  pool.pick() per job: first choice vs full ordering (same run)');
  for (const n of [1_000, N]) {
    const pool = await poolWith(list.slice(0, n));
    for (const algorithm of algorithms) {
      const viaFirst = msPerCall(() => pool.pick('video/transcode', { algorithm, random }));
      const viaOrdering = msPerCall(() => pool.pick('video/transcode', { algorithm: orderingOnly(algorithm), random }), MS, 3);
      console.log(`    n=${String(n).padEnd(6)} ${algorithm.name.padEnd(12)} first ${fmt(viaFirst)}   full ordering ${fmt(viaOrdering)}   ${ratio(viaOrdering, viaFirst)} faster`);
      // A retry: two orchestrators already tried, skipped by the algorithm's firstExcluding over the kept list (ADR 0055/0062).
      const tried = new Set([list[0]!.uri, list[Math.floor(n / 2)]!.uri]);
      const viaExcluding = msPerCall(() => pool.pick('video/transcode', { algorithm, random, exclude: tried }));
      console.log(`    n=${String(n).padEnd(6)} ${algorithm.name.padEnd(12)} retry excluding 2 ${fmt(viaExcluding)}`);
      if (n === 10_000) console.log(`  target: pick over 10k ≤ 0.1 ms — ${algorithm.name}: ${viaFirst.toFixed(4)} ms (${(viaFirst / 0.1).toFixed(2)}× target), with 2 excluded ${viaExcluding.toFixed(4)} ms (${(viaExcluding / 0.1).toFixed(2)}× target)`);
    }
    const usable = msPerCall(() => pool.usable('video/transcode'));
    const due = msPerCall(() => pool.refreshDue());
    console.log(`    n=${String(n).padEnd(6)} usable() ${fmt(usable)}   refreshDue() ${fmt(due)}   (kept between jobs; nothing changed)`);
    pool.close();
  }

  // The probability ordering: a tree of draws, O(n log n) (it redrew over the rest for every position before).
  const probability = new ProbabilitySelectionAlgorithm();
  for (const n of [1_000, 2_000, N]) {
    const smaller = list.slice(0, n);
    const base = msPerCall(() => sortByStake(smaller), 300);
    const full = msPerCall(() => probability.select(smaller, { ...context, random }), 300, 3);
    console.log(`  probability: select() full ordering, n=${String(n).padEnd(6)} ${fmt(full)} ${ratio(full, base)} of sorting those ${n}`);
  }
}

await main();
