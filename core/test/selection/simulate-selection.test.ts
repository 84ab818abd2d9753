import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { SelectionAlgorithm } from '@lpx/sdk';
import { formatSimulation, parseSnapshot, runSelectionSimulation, simulateSelection } from '../../src/selection/simulate/index.js';

const exampleSnapshot = fileURLToPath(new URL('../../../examples/selection-snapshot.json', import.meta.url));
const RUNS = 10_000;

/** Within 4 binomial standard deviations of runs × p. */
function near(count: number, p: number): boolean {
  return Math.abs(count - RUNS * p) <= 4 * Math.sqrt(RUNS * p * (1 - p));
}

t.test('the example snapshot through `probability`: max price drops c and e, the rest follow 0.7 stake + 0.3 uniform', async (t) => {
  const { result, text } = await runSelectionSimulation({ snapshotFile: exampleSnapshot, algorithmName: 'probability', runs: RUNS, seed: 7 });
  const stakes = { a: 500, b: 250, d: 100 };
  const total = 850;
  for (const [name, stake] of Object.entries(stakes)) {
    const count = result.picks[`https://orch-${name}.example.com:8935`]!;
    const p = (0.7 * stake) / total + 0.3 / 3;
    t.ok(near(count, p), `orch-${name}: ${count} picks, expected about ${(RUNS * p).toFixed(0)}`);
  }
  t.equal(result.picks['https://orch-c.example.com:8935'], 0, 'c is 1250 wei/pixel, above the 1200 max');
  t.equal(result.picks['https://orch-e.example.com:8935'], 0, 'e is above the max too');
  t.equal(result.none, 0);
  t.equal(Object.values(result.picks).reduce((a, b) => a + b, 0), RUNS);
  t.match(text, /^algorithm probability, 10000 runs, seed 7\norchestrator +picks +share\nhttps:\/\/orch-a\.example\.com:8935 +\d+ +\d+\.\d\d%/);
});

t.test('same seed, same counts; another seed, other counts', async (t) => {
  const run = (seed: number) => runSelectionSimulation({ snapshotFile: exampleSnapshot, algorithmName: 'selection-stake', runs: 2000, seed });
  t.same((await run(3)).result.picks, (await run(3)).result.picks);
  t.not(JSON.stringify((await run(3)).result.picks), JSON.stringify((await run(4)).result.picks));
});

t.test('algorithm config is passed through: stake-only picks follow stake alone', async (t) => {
  const { result } = await runSelectionSimulation({ snapshotFile: exampleSnapshot, algorithmName: 'probability', runs: RUNS, seed: 9, algorithmConfig: { stakeWeight: 1, randWeight: 0 } });
  t.ok(near(result.picks['https://orch-d.example.com:8935']!, 100 / 850), `orch-d ${result.picks['https://orch-d.example.com:8935']}`);
});

t.test('deterministic algorithms always pick the same orchestrator', async (t) => {
  const live = await runSelectionSimulation({ snapshotFile: exampleSnapshot, algorithmName: 'live', runs: 100 });
  t.equal(live.result.picks['https://orch-b.example.com:8935'], 100, 'b is the fastest under the max price (e is faster but too dear)');
  t.equal(live.result.share['https://orch-b.example.com:8935'], '100.00');
  const minLs = await runSelectionSimulation({ snapshotFile: exampleSnapshot, algorithmName: 'min-ls', runs: 100 });
  t.equal(minLs.result.picks['https://orch-b.example.com:8935'], 100, 'lowest latency score under the max price');
});

t.test('runs where everyone is filtered out are counted as no pick', async (t) => {
  const nobody: SelectionAlgorithm = { name: 'nobody', select: () => [] };
  const snapshot = parseSnapshot({ candidates: [{ uri: 'https://x.example:1' }] });
  const result = simulateSelection(nobody, snapshot, { runs: 4, seed: 1 });
  t.same(result, { algorithm: 'nobody', runs: 4, seed: 1, picks: { 'https://x.example:1': 0 }, share: { 'https://x.example:1': '0.00' }, none: 4 });
  t.match(formatSimulation(result), /\(no pick\) +4 +100\.00%/);
  t.throws(() => simulateSelection(nobody, snapshot, { runs: 0, seed: 1 }), RangeError);
});

t.test('bad snapshots and names are coded errors that say what is wrong', async (t) => {
  t.throws(() => parseSnapshot({ candidates: [{ uri: 'https://x.example:1', price: { pricePerUnit: '1.5' } }] }, 'snap.json'), {
    code: 'LPX_ERR_DISCOVERY_SNAPSHOT_INVALID',
    message: /snap\.json: candidates\[0\]\.price\.pricePerUnit: expected a non-negative integer/,
  });
  t.throws(() => parseSnapshot({ candidates: [{ uri: 'x' }] }), { message: /candidates\[0\]\.uri: expected an http\(s\) url/ });
  t.throws(() => parseSnapshot({ candidates: [{ uri: 'https://a:1' }, { uri: 'https://a:1' }] }), { message: /candidates\[1\]\.uri/ });
  t.throws(() => parseSnapshot({ candidates: [{ uri: 'https://a:1', price: { pricePerUnit: 1, pixelsPerUnit: 0 } }] }), { message: /pixelsPerUnit: expected a positive integer/ });
  t.throws(() => parseSnapshot({ candidates: [{ uri: 'https://a:1', latencyMs: -1 }] }), { message: /latencyMs/ });
  t.throws(() => parseSnapshot([]), { message: /\(root\): expected an object/ });

  const dir = mkdtempSync(join(tmpdir(), 'lpx-snapshot-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'garbage.json'), '{nope');
  await t.rejects(runSelectionSimulation({ snapshotFile: join(dir, 'garbage.json'), algorithmName: 'live', runs: 1 }), { code: 'LPX_ERR_DISCOVERY_SNAPSHOT_INVALID', message: /is not JSON/ });
  await t.rejects(runSelectionSimulation({ snapshotFile: join(dir, 'missing.json'), algorithmName: 'live', runs: 1 }), { code: 'LPX_ERR_DISCOVERY_SNAPSHOT_INVALID', message: /cannot read/ });
  await t.rejects(runSelectionSimulation({ snapshotFile: exampleSnapshot, algorithmName: 'fastest', runs: 1 }), {
    code: 'LPX_ERR_DISCOVERY_UNKNOWN_ALGORITHM',
    message: /no built-in selection algorithm "fastest"; known: probability \(selection-stake\), min-ls \(selection-latency\), live \(selection-live\)/,
  });
});
