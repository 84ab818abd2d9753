/**
 * Live Runner apps through the gateway versus the app called directly, in
 * the same run: the gateway's app-facing routes (ADR 0043) with the
 * go-livepeer-style orchestrator double behind them (real HTTP, real
 * tickets validated by a real Recipient) — a single-shot call (challenge,
 * payment, proxy, release per call) and a request on a reserved, paid
 * session (proxy only) — against `GET /hello` on the app's own port.
 * Prints medians and ratios; no thresholds.
 *
 *   node --import tsx bench/live-runner-path.ts [runs]
 */
import type { Test } from 'tap';
import { memoryChain, startLiveDouble, startLiveGateway } from '../core/test/roles/gateway/live-runner-fixture.js';

const RUNS = Number(process.argv[2] ?? process.env['BENCH_RUNS'] ?? 200);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timeGet(url: string): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return performance.now() - t0;
}

/** The fixture's tap hooks, outside tap: teardowns run at the end. */
const teardowns: (() => unknown)[] = [];
const t = { teardown: (fn: () => unknown) => teardowns.push(fn) } as unknown as Test;

async function main(): Promise<void> {
  const chain = memoryChain();
  const orch = await startLiveDouble(t, chain, [
    { route: 'shot', app: 'bench/shot', mode: 'single-shot', capacity: 4, price: { price: 1_000_000_000n, unit: 'seconds' } },
    { route: 'session', app: 'bench/session', mode: 'persistent', capacity: 4, price: { price: 1_000_000_000n, unit: 'seconds' } },
  ]);
  const gw = await startLiveGateway(t, chain, [orch], { intervalMs: 3_000, aheadSeconds: 10 });
  try {
    const reserved = await fetch(`${gw.url}/v1/apps/bench%2Fsession/sessions`, { method: 'POST' });
    const session = (await reserved.json()) as { app_url: string };
    const direct = `${orch.appUri}/hello`;
    const shot = `${gw.url}/v1/apps/bench%2Fshot/app/hello`;
    const proxied = `${session.app_url}/hello`;
    for (const url of [direct, shot, proxied]) await timeGet(url);
    const raw: number[] = [];
    const single: number[] = [];
    const viaSession: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so load on the machine hits all three alike.
      raw.push(await timeGet(direct));
      single.push(await timeGet(shot));
      viaSession.push(await timeGet(proxied));
    }
    const r = median(raw);
    const s = median(single);
    const p = median(viaSession);
    console.log(`app direct ${r.toFixed(2)} ms (median of ${RUNS})`);
    console.log(`single-shot via gateway → orchestrator (challenge + tickets + proxy) ${s.toFixed(2)} ms | overhead ${(s - r).toFixed(2)} ms | ratio direct/path ${(r / s).toFixed(3)}`);
    console.log(`session request via gateway → orchestrator (proxy only)             ${p.toFixed(2)} ms | overhead ${(p - r).toFixed(2)} ms | ratio direct/path ${(r / p).toFixed(3)}`);
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }
}

await main();
