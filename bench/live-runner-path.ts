/**
 * Live Runner apps called through lpx versus the app called directly, in the
 * same run, each path interleaved with its baseline so load hits them alike:
 *
 * 1. lpx's own orchestrator: a real node (orchestrator role, offchain, the
 *    `trickle` and `live-runner` plugins) hosting a static single-shot and a
 *    static persistent runner in front of a plain HTTP app — a single-shot
 *    call (reserve, proxy, release) and a request on an open session (proxy
 *    only), over the node's TLS front door, against `GET /hello` on the app.
 * 2. The lpx gateway (offchain) in front of that node: the same two calls
 *    through the gateway's app-facing routes (ADR 0043) — lpx end to end.
 * 3. The lpx gateway paying a go-livepeer-style orchestrator double (real
 *    HTTP, real tickets validated by a real Recipient): a single-shot call
 *    (challenge, payment, proxy, release per call) and a session request.
 *
 * Prints medians, the overhead and the ratio direct/path; no thresholds.
 * Money is not in (1) and (2): lpx's paid orchestrator needs the embedded
 * chain, which the paid-session tests boot; (3) measures the ticket path.
 *
 *   node --import tsx bench/live-runner-path.ts [runs]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import type { Test } from 'tap';
import type { OrchestratorInfo } from '../core/src/network/wire/types.js';
import { memoryChain, startLiveDouble, startLiveGateway } from '../core/test/roles/gateway/live-runner-fixture.js';
import type { GoLiveRunnerOrchestratorDouble } from '../core/test/network/helpers/go-live-runner-orchestrator-double.js';
import { liveRunnerPlugin } from '../plugins/live-runner/src/index.js';
import { tricklePlugin } from '../plugins/trickle/src/index.js';
import { makeHost } from '../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../test/helpers/redis.js';

const RUNS = Number(process.argv[2] ?? process.env['BENCH_RUNS'] ?? 200);
// The front door's certificate is self-signed; one keep-alive agent for every call, as a client would hold.
const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timeGet(url: string): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(url, { dispatcher } as RequestInit);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return performance.now() - t0;
}

/** Medians of each URL, calls interleaved; the first is the baseline. */
async function measure(urls: readonly string[]): Promise<number[]> {
  for (const url of urls) await timeGet(url);
  const times = urls.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) for (const [k, url] of urls.entries()) times[k]!.push(await timeGet(url));
  return times.map(median);
}

function report(title: string, direct: number, rows: readonly (readonly [string, number])[]): void {
  console.log(`${title}\n  app direct ${direct.toFixed(2)} ms (median of ${RUNS})`);
  for (const [what, ms] of rows) console.log(`  ${what.padEnd(58)} ${ms.toFixed(2)} ms | overhead ${(ms - direct).toFixed(2)} ms | ratio direct/path ${(direct / ms).toFixed(3)}`);
}

/** The fixtures' tap hooks, outside tap: teardowns run at the end, last first. */
const teardowns: (() => unknown)[] = [];
const t = { teardown: (fn: () => unknown) => teardowns.push(fn) } as unknown as Test;

async function plainApp(): Promise<string> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'text/plain' }).end('hello'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  teardowns.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A real lpx orchestrator with the live-runner plugin serving `app` as `shot` (single-shot) and `session` (persistent). */
async function lpxOrchestrator(app: string): Promise<string> {
  const redis = await testRedis(t);
  const entry = (label: string, mode: string) => ({ label, routing: 'label', runner_url: app, health_url: '/', app: `bench/${label}`, mode, capacity: 4 });
  const host = makeHost(t, [tricklePlugin, liveRunnerPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('bench-live-runner') },
    node: { roles: ['orchestrator'] },
    orchestrator: { port: 0 },
    plugins: { 'live-runner': { config: { runners: [entry('shot', 'single-shot'), entry('session', 'persistent')] } } },
  });
  await host.start();
  return host.serviceUri!;
}

async function main(): Promise<void> {
  try {
    const app = await plainApp();
    const orch = await lpxOrchestrator(app);
    const reserved = await fetch(`${orch}/apps/session/session`, { method: 'POST', dispatcher } as RequestInit);
    if (reserved.status !== 200) throw new Error(`reserving on the lpx orchestrator: HTTP ${reserved.status} ${await reserved.text()}`);
    const session = (await reserved.json()) as { app_url: string };
    const [d1, s1, p1] = await measure([`${app}/hello`, `${orch}/apps/shot/app/hello`, `${session.app_url}/hello`]);
    report('1. lpx orchestrator, plugins/live-runner (offchain, TLS front door)', d1!, [
      ['single-shot (reserve + proxy + release)', s1!],
      ['session request (proxy only)', p1!],
    ]);

    // The gateway's pool only needs the orchestrator's URI from GetOrchestrator here: Live Runner apps come from /discovery.
    const lpxOrch = { uri: orch, info: (): OrchestratorInfo => ({ transcoder: orch, address: new Uint8Array(20), hardware: [], storage: [], capabilitiesPrices: [], nodes: [] }) } as unknown as GoLiveRunnerOrchestratorDouble;
    const freeGw = await startLiveGateway(t, memoryChain(), [lpxOrch], { paid: false });
    const viaGw = await fetch(`${freeGw.url}/v1/apps/bench%2Fsession/sessions`, { method: 'POST' });
    if (viaGw.status !== 201) throw new Error(`reserving through the gateway: HTTP ${viaGw.status} ${await viaGw.text()}`);
    const gwSession = (await viaGw.json()) as { app_url: string };
    const [d2, s2, p2] = await measure([`${app}/hello`, `${freeGw.url}/v1/apps/bench%2Fshot/app/hello`, `${gwSession.app_url}/hello`]);
    report('2. lpx gateway (offchain) → lpx orchestrator', d2!, [
      ['single-shot via gateway → orchestrator', s2!],
      ['session request via gateway → orchestrator', p2!],
    ]);

    const chain = memoryChain();
    const double = await startLiveDouble(t, chain, [
      { route: 'shot', app: 'bench/shot', mode: 'single-shot', capacity: 4, price: { price: 1_000_000_000n, unit: 'seconds' } },
      { route: 'session', app: 'bench/session', mode: 'persistent', capacity: 4, price: { price: 1_000_000_000n, unit: 'seconds' } },
    ]);
    const paidGw = await startLiveGateway(t, chain, [double], { intervalMs: 3_000, aheadSeconds: 10 });
    const paid = await fetch(`${paidGw.url}/v1/apps/bench%2Fsession/sessions`, { method: 'POST' });
    const paidSession = (await paid.json()) as { app_url: string };
    const [d3, s3, p3] = await measure([`${double.appUri}/hello`, `${paidGw.url}/v1/apps/bench%2Fshot/app/hello`, `${paidSession.app_url}/hello`]);
    report('3. lpx gateway (paying) → go-livepeer-style orchestrator double', d3!, [
      ['single-shot (challenge + tickets + proxy)', s3!],
      ['session request (proxy only)', p3!],
    ]);
  } finally {
    for (const fn of teardowns.reverse()) await fn();
    await dispatcher.close();
  }
}

await main();
