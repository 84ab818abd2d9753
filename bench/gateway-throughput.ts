/**
 * Gateway throughput (issue 13's targets), on a local network of separate
 * processes (`lpx dev up`: Redis, a dev chain, orchestrators with their echo
 * workers, one gateway), same run:
 *
 * 1. A go-livepeer BYOC client's echo jobs through the gateway
 *    (`POST /process/request/`, limited to orchestrator 1 by
 *    `orchestrators.include`: route job on BullMQ → orchestrator 1 over TLS,
 *    paid) versus a go-livepeer-style client in this process paying
 *    orchestrator 1 directly over the same BYOC wire (job token, tickets,
 *    `POST /process/request`: the gateway's own job sender, no queue), at
 *    concurrency 16: throughput ratio (target ≥ 0.8) and p50 overhead
 *    (target ≤ 5 ms), in alternating rounds (alternating-rounds.ts); the
 *    same at concurrency 1 (latency alone); the CPU each process spent per
 *    job both ways (/proc, Linux). A third path in the same rounds is the
 *    floor of any gateway: a bare forwarder process (bare-forwarder-main.ts:
 *    node:http in, the same job sender out, nothing else), so the bench
 *    says how much of the gap is the hop and how much the gateway's own
 *    work. A fourth path is the direct client over HTTP/1.1, the
 *    transport the gateway uses towards orchestrators by default (ADR
 *    0068): the go-livepeer-style client uses HTTP/2 as go-livepeer does,
 *    so the bench also says how the gateway compares with a direct client
 *    on its own transport. Then, for information, the same with the
 *    gateway side (client, gateway) and the orchestrator side (orchestrator,
 *    Redis, chain) on a core each (`taskset`), as separate machines would be.
 * 2. Throughput through the gateway with 1, 2, 4 and 8 orchestrators (one
 *    network of N; `orchestrators.include` limits each round to the first
 *    k), each job a 1 s echo, at concurrency 4·k: the work is waiting, not
 *    CPU, so throughput grows with orchestrators unless the gateway caps it.
 *
 * Every path first runs BENCH_WARM_JOBS jobs (default 4,000, in alternating
 * chunks): the targets are a long-running gateway's, and V8 optimizes the
 * gateway's per-job code only after thousands of jobs.
 *
 *   node --import tsx bench/gateway-throughput.ts [jobs] [maxOrchestrators]
 *
 * 8 orchestrator processes do not start on a loaded 2-core machine (their
 * Redis connect times out); pass a smaller maxOrchestrators there.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Pool } from 'undici';
import { privateKeyToAccount } from 'viem/accounts';
import { GatewaySection } from '../core/src/config/gateway-schema.js';
import { startDevNetwork } from '../core/src/dev/dev-network.js';
import type { PoolEntry } from '../core/src/gateway/pool/pool-options.js';
import { encodeJobRequestHeader } from '../core/src/network/byoc/index.js';
import { createChainPaymentSources } from '../core/src/payments-chain/create-sources.js';
import { createJobSender } from '../core/src/roles/gateway/job-sender.js';
import { alternate, summarize, type AlternatingResult } from './alternating-rounds.js';
import { startBareForwarder } from './bare-forwarder.js';
import { pin, unpin } from './cpu-pinning.js';
import { formatCpu } from './proc-cpu.js';
import { measureConcurrent as measure } from './rate.js';
import { runNodesCompiled } from './compiled-nodes.js';

runNodesCompiled();

const jobs = Number(process.argv[2] ?? 2_000);
const maxOrchestrators = Number(process.argv[3] ?? process.env['BENCH_ORCHESTRATORS'] ?? 8);
const DELAY_MS = 1_000;
/** Jobs each path runs before anything is measured (BENCH_WARM_JOBS; at least 32: the first payment, connections). */
const WARM_JOBS = Number(process.env['BENCH_WARM_JOBS'] ?? 4_000);
const WARM_CHUNKS = 4;
/** Each orchestrator's echo worker runs this many jobs at once: c=16 on one orchestrator fits. */
const CAPACITY = 16;

const sizes = [1, 2, 4, 8].filter((n) => n <= maxOrchestrators);
const dataDir = mkdtempSync(join(tmpdir(), 'lpx-bench-gw-throughput-'));
/**
 * A network's steady state, not a demo's: with the dev defaults about half of all tickets win, and each
 * winner's redemption (the orchestrator's viem calls, anvil's transaction) lands on whichever path is
 * being measured. Here a ticket carries 40 echo jobs' worth and 1 in 100 wins (face value 100 × EV,
 * which the large reserve allows); go-livepeer's defaults make winners rarer still.
 */
const TICKET_EV = 2n * 10n ** 17n;
const network = await startDevNetwork({ orchestrators: Math.max(...sizes), dataDir, echoCapacity: CAPACITY, tenantBudgetWei: 10n ** 24n, tickets: { ev: TICKET_EV, senderFundsWei: 1_000n * 10n ** 18n, senders: 4 } });
const chainSources = await createChainPaymentSources({ rpcUrl: network.chain.rpcUrl, controller: network.chain.controller });
// The gateway pays with the first sender; the direct clients and the bare forwarder each with one of their own.
const [, senderKey, forwarderKey, sender11Key] = network.chain.accounts.filter((a) => a.role === 'sender').map((a) => a.privateKey as `0x${string}`);
if (senderKey === undefined || forwarderKey === undefined || sender11Key === undefined) throw new Error('the dev network funded fewer than 4 senders');
const directSender = (key: `0x${string}`, httpVersion: '1.1' | '2') =>
  createJobSender({ account: privateKeyToAccount(key), chain: chainSources, requestTimeoutMs: 15_000, limits: { maxEV: 2n * TICKET_EV, maxTotalEV: 200n * TICKET_EV }, logger: pino({ level: 'silent' }), httpVersion });
// go-livepeer's BYOC client forces an HTTP/2 attempt (ForceAttemptHTTP2): the baseline does the same.
const direct = directSender(senderKey, '2');
const direct11 = directSender(sender11Key, '1.1');
/** The dev gateway runs on the config default; the bare forwarder sends as it does. */
const GATEWAY_HTTP_VERSION = GatewaySection.properties.orchestratorHttpVersion.default as '1.1' | '2';
const auth = `Bearer ${network.tenants[0]!.apiKey}`;
const client = new Pool(network.gateway.httpUrl, { connections: 64 });
const forwarder = await startBareForwarder({ orchestratorUri: network.orchestrators[0]!.serviceUri, rpcUrl: network.chain.rpcUrl, controller: network.chain.controller, senderKey: forwarderKey, ticketEV: TICKET_EV, httpVersion: GATEWAY_HTTP_VERSION });
const forwarderClient = new Pool(forwarder.url, { connections: 64 });
try {
  // go-livepeer's BYOC client route: the parameters' orchestrators.include limits the choice.
  const viaWire = (include: string[], delayMs = 0) => async (i: number): Promise<void> => {
    const header = encodeJobRequestHeader({ id: '', request: '{}', parameters: JSON.stringify({ orchestrators: { include } }), capability: 'echo', timeout_seconds: 30, sender: '', sig: '' });
    // undici's pool, as the direct client's job sender uses: fetch costs the client more CPU than the work measured.
    const response = await client.request({ path: '/process/request/', method: 'POST', headers: { 'content-type': 'application/json', authorization: auth, livepeer: header }, body: JSON.stringify(delayMs > 0 ? { text: `w${i}`, delayMs } : { text: `w${i}` }) });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`gateway answered ${response.statusCode}: ${text}`);
  };
  const bare = async (i: number): Promise<void> => {
    const response = await forwarderClient.request({ path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `b${i}` }) });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`the bare forwarder answered ${response.statusCode}: ${text}`);
  };
  const first = { uri: network.orchestrators[0]!.serviceUri } as PoolEntry;
  const straight = async (i: number): Promise<void> => {
    await direct.send(first, { capabilityId: 'byoc/echo', input: { text: `d${i}` }, requestId: randomUUID(), signal: AbortSignal.timeout(30_000) });
  };
  const straight11 = async (i: number): Promise<void> => {
    await direct11.send(first, { capabilityId: 'byoc/echo', input: { text: `h${i}` }, requestId: randomUUID(), signal: AbortSignal.timeout(30_000) });
  };
  // The same orchestrator both ways: the gateway may use only orchestrator 1 here.
  const viaGateway = viaWire([first.uri]);
  // Discovery may take a while on a loaded machine: until then the gateway answers 404 for byoc/echo.
  for (let tries = 0; ; tries++) {
    const ok = await viaGateway(0).then(() => true, (error: unknown) => (tries > 120 ? Promise.reject(error) : false));
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  // Warm every path to its steady state before measuring, in alternating chunks so no path's processes
  // get more of it: the first payment and connections, and V8's optimizing compiler, which reaches the
  // gateway's per-job code only after a few thousand jobs (CPU per job falls by half over the first
  // ~4,000; a gateway runs millions). The same count for every path; WARM_JOBS says how many.
  for (let chunk = 0; chunk < WARM_CHUNKS; chunk++) {
    for (const path of [viaGateway, straight, bare, straight11]) await measure(Math.max(8, Math.ceil(WARM_JOBS / WARM_CHUNKS)), 16, path);
  }
  // c=1 first: latency alone, before c=16 has run the credit and the connections hot.
  const one = Math.min(100, jobs);
  const g1 = await measure(one, 1, viaGateway);
  const d1 = await measure(one, 1, straight);
  const b1 = await measure(one, 1, bare);
  // Anvil mines the dev chain and takes the orchestrator's redemptions: its CPU competes for the same cores.
  const pids = { client: process.pid, gateway: network.gateway.process.pid, forwarder: forwarder.pid, orchestrator: network.orchestrators[0]!.process.pid, redis: network.redis.pid, chain: network.chain.pid };
  const rounds = 4;
  const perRound = Math.max(16, Math.floor(jobs / rounds));
  const run = (roundCount: number): Promise<AlternatingResult<'gateway' | 'bare' | 'direct11'>> =>
    alternate({ rounds: roundCount, perRound, concurrency: 16, paths: { gateway: viaGateway, direct: straight, bare, direct11: straight11 }, pids, orchestratorHttpUrl: network.orchestrators[0]!.process.httpUrl });
  const report = (label: string, result: AlternatingResult<'gateway' | 'bare' | 'direct11'>, withTargets: boolean): void => {
    const { totals, roundRatios, jobsPerPath } = result;
    const g = summarize(totals.gateway);
    const d = summarize(totals.direct);
    const b = summarize(totals.bare);
    const h = summarize(totals.direct11);
    const target = (text: string): string => (withTargets ? `target ${text}; ` : '');
    const rounds = (ratios: readonly number[]): string => ratios.map((x) => x.toFixed(2)).join(' / ');
    console.log(`${label}: ${jobsPerPath} echo jobs per path in ${roundRatios.gateway.length} alternating rounds, c=16`);
    console.log(`  throughput: gateway ${g.perSecond.toFixed(0)} jobs/s vs direct ${d.perSecond.toFixed(0)} jobs/s → ratio ${(g.perSecond / d.perSecond).toFixed(2)} (${target('≥ 0.8')}rounds ${rounds(roundRatios.gateway)})`);
    console.log(`  p50: gateway ${g.p50.toFixed(1)} ms vs direct ${d.p50.toFixed(1)} ms → +${(g.p50 - d.p50).toFixed(1)} ms${withTargets ? ' (target ≤ 5 ms)' : ''}`);
    console.log(`  the floor, a bare forwarder (HTTP in, the same job sender out, no queue): ${b.perSecond.toFixed(0)} jobs/s → ratio ${(b.perSecond / d.perSecond).toFixed(2)} (rounds ${rounds(roundRatios.bare)}), p50 +${(b.p50 - d.p50).toFixed(1)} ms; the gateway does ${(g.perSecond / b.perSecond).toFixed(2)} × the floor`);
    console.log(`  the same direct client over HTTP/1.1 (the gateway's transport to orchestrators): ${h.perSecond.toFixed(0)} jobs/s, p50 ${h.p50.toFixed(1)} ms → gateway ratio ${(g.perSecond / h.perSecond).toFixed(2)}, p50 +${(g.p50 - h.p50).toFixed(1)} ms (rounds ${rounds(roundRatios.gateway.map((x, i) => x / roundRatios.direct11[i]!))})`);
    const cpu = (path: 'gateway' | 'direct' | 'bare' | 'direct11'): string => formatCpu(Object.fromEntries(Object.entries(totals[path].cpu).filter(([, seconds]) => seconds * 1000 >= 0.01 * jobsPerPath)), jobsPerPath);
    console.log(`  CPU per job: through the gateway ${cpu('gateway')}; direct ${cpu('direct')}; bare forwarder ${cpu('bare')}; direct over HTTP/1.1 ${cpu('direct11')}`);
    console.log(`  orchestrator 1's tickets: gateway ${totals.gateway.tickets.received} received, ${totals.gateway.tickets.winning} winning; direct ${totals.direct.tickets.received} received, ${totals.direct.tickets.winning} winning; bare ${totals.bare.tickets.received} received, ${totals.bare.tickets.winning} winning`);
  };
  console.log(`gateway vs a go-livepeer-style client paying the orchestrator directly, separate processes, after ${WARM_JOBS} warm-up jobs per path`);
  console.log(`c=1 p50 (${one} jobs): gateway ${g1.p50.toFixed(1)} ms vs direct ${d1.p50.toFixed(1)} ms → +${(g1.p50 - d1.p50).toFixed(1)} ms; bare forwarder ${b1.p50.toFixed(1)} ms → +${(b1.p50 - d1.p50).toFixed(1)} ms`);
  report('all processes sharing every core', await run(rounds), true);
  // As deployed, the gateway does not share the orchestrator's machine: the client and the gateway get one
  // core, the orchestrator, its Redis and the chain the other (the dev network's one Redis also holds the
  // gateway's queue, so that work stays on the orchestrator's side). Informative; the targets are the line above.
  const sides = [[network.orchestrators[0]!.process.pid, network.redis.pid, network.chain.pid], [process.pid, network.gateway.process.pid, forwarder.pid]];
  if (pin(sides)) {
    try {
      report('gateway side and orchestrator side on a core each', await run(2), false);
    } finally {
      unpin(sides.flat());
    }
  } else {
    console.log('gateway side and orchestrator side on a core each: not measured (needs taskset and 2 CPUs)');
  }

  console.log(`throughput through the gateway by orchestrators (${DELAY_MS} ms echo jobs, c=4·k, each orchestrator takes ${CAPACITY} at once, separate processes)`);
  let base: number | undefined;
  for (const k of sizes) {
    const include = network.orchestrators.slice(0, k).map((o) => o.serviceUri);
    await measure(4 * k, 4 * k, viaWire(include, DELAY_MS)); // warm: each orchestrator's first payment
    const r = await measure(12 * k, 4 * k, viaWire(include, DELAY_MS));
    base ??= r.perSecond;
    console.log(`orchestrators=${k}: ${r.perSecond.toFixed(0)} jobs/s, p50 ${r.p50.toFixed(0)} ms → ${(r.perSecond / base).toFixed(2)} × 1 orchestrator`);
  }
} finally {
  direct.close();
  direct11.close();
  await client.close();
  await forwarderClient.close();
  await forwarder.stop();
  await chainSources.close();
  await network.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
