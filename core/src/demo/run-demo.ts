/**
 * `npm run demo`: the local network of `lpx dev up` (Redis, dev chain, N
 * orchestrators with workers, a gateway — separate processes), paid jobs
 * through the gateway, and the orchestrators' winning tickets redeemed on the
 * chain. The summary's numbers are read back from the nodes and the chain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readSenderInfo } from '../chain/ticket-broker-reads.js';
import { startDevNetwork, type DevNetwork } from '../dev/dev-network.js';
import { connectRedis } from '../redis/connect.js';
import { settlementLedgerFor } from '../settlement/settlement-ledger.js';
import { scrapeCounter } from './demo-metrics.js';
import { DEV_AI_MODELS } from '../dev/dev-configs.js';
import { runDemoAI, waitForAIRunners } from './demo-ai.js';
import { pushDemoSegments } from './demo-segments.js';
import { runDemoByoc } from './demo-byoc.js';
import { runDemoStreams } from './demo-streams.js';

export interface DemoSummary {
  jobs: number;
  failed: number;
  tickets: number;
  winners: number;
  redeemed: number;
  /** Wei the gateway's on-chain deposit fell by; equals the redeemed face values. */
  depositSpent: bigint;
  redeemedFaceValue: bigint;
  orchestratorsUsed: number;
  p50Ms: number;
  p99Ms: number;
  wallMs: number;
  /** Segments pushed to the gateway's HTTP ingest that came back with every rendition. */
  segments: number;
  segmentsFailed: number;
  renditions: number;
  /** Variant streams in the gateway's HLS master playlist. */
  playlistRenditions: number;
  /** Output pixels the orchestrators charged the gateway for (read from their /metrics). */
  pixelsCharged: number;
  /** AI requests answered through the gateway (one per kind of runner engine), and those that failed; 0/0 with `ai: false`. */
  ai: number;
  aiFailed: number;
  /** Paid BYOC jobs for the example partner app that came back right, of those sent; 0/0 with `byoc: false`. */
  byoc: number;
  byocSent: number;
  /** Live Runner single-shot calls to the same app through the gateway's /v1/apps, right of sent; 0/0 with `byoc: false`. */
  apps: number;
  appsSent: number;
  /** BYOC streams through the gateway to the example stream worker on orchestrator 1 that came back right, of those started; 0/0 with `byoc: false`. */
  streams: number;
  streamsSent: number;
}

export interface DemoOptions {
  jobs?: number;
  /** 2 s 1080p segments pushed through the gateway's HTTP ingest (default 4). */
  segments?: number;
  orchestrators?: number;
  /** How long to wait for every winning ticket to be redeemed (default 90 s). */
  redeemTimeoutMs?: number;
  /** AI requests in reference runner containers (default true; the first run on a machine builds the image). */
  ai?: boolean;
  /** The example BYOC partner app: a paid job and a Live Runner call (default true; builds a busybox image in seconds). */
  byoc?: boolean;
  log?: (line: string) => void;
}

async function runJobs(network: DevNetwork, count: number, concurrency: number) {
  const latencies: number[] = [];
  const orchestrators = new Set<string>();
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      const response = await fetch(`${network.gateway.httpUrl}/v1/jobs/byoc/echo`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${network.tenants[0]!.apiKey}` }, body: JSON.stringify({ text: `job ${i}` }) });
      const body = (await response.json()) as { text?: string };
      latencies.push(performance.now() - t0);
      if (response.status !== 200 || body.text !== `job ${i}`) failed++;
      else orchestrators.add(response.headers.get('lpx-orchestrator') ?? '?');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  const pick = (q: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { failed, orchestrators, p50Ms: pick(0.5), p99Ms: pick(0.99) };
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const count = options.jobs ?? 20;
  const log = options.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-demo-'));
  const ai = options.ai ?? true;
  const byoc = options.byoc ?? true;
  let byocCapability: string | undefined;
  log(`starting the local network (redis, dev chain, orchestrators, gateway${ai ? ', AI runner containers: the first run on a machine builds their image' : ''}${byoc ? ', the BYOC example partner app' : ''})...`);
  const network = await startDevNetwork({
    orchestrators: options.orchestrators ?? 2,
    ai,
    byoc,
    dataDir,
    onEvent: (event) => {
      if ('service' in event && event.service === 'byoc') {
        byocCapability = event.capability;
        log(`byoc partner app ${event.capability} (image ${event.digest}) on orchestrator 1`);
      }
      if (!('role' in event)) return;
      if (event.role === 'worker') log(`worker ${event.httpUrl} for ${event.orchestrator}`);
      else log(`${event.role} ${event.role === 'orchestrator' ? event.serviceUri : event.httpUrl} (${event.address})`);
    },
  });
  const redis = await connectRedis(network.redis.url);
  try {
    const { publicClient } = network.chain.connection;
    const broker = network.chain.addresses.ticketBroker;
    const gateway = network.gateway.address as `0x${string}`;
    const depositBefore = (await readSenderInfo(publicClient, broker, gateway)).deposit;

    if (ai) await waitForAIRunners(network.orchestrators[0]!.process.httpUrl, DEV_AI_MODELS, log);

    const started = Date.now();
    const run = await runJobs(network, count, 4);
    const wallMs = Date.now() - started;
    log(`${count - run.failed}/${count} jobs done through ${run.orchestrators.size} orchestrator(s); p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms`);

    log('pushing 1080p30 segments to the gateway\'s HTTP ingest...');
    const video = await pushDemoSegments(network.gateway.httpUrl, options.segments ?? 4, log);
    const pixelsCharged = (await Promise.all(network.orchestrators.map((o) => scrapeCounter(o.process.httpUrl, 'lpx_orchestrator_segment_pixels_total')))).reduce((a, b) => a + b, 0);
    log(`${video.segments} segments transcoded into ${video.renditions} renditions; the HLS master playlist lists ${video.playlistRenditions}; orchestrators charged for ${pixelsCharged} output pixels`);

    let aiRun = { ok: 0, failed: 0 };
    if (ai) {
      log('AI requests through the gateway, each run in a reference runner container on orchestrator 1...');
      aiRun = await runDemoAI(network.gateway.httpUrl, network.tenants[0]?.apiKey, log);
    }

    let byocRun = { byoc: 0, byocSent: 0, apps: 0, appsSent: 0 };
    if (byocCapability !== undefined) {
      log('the BYOC example partner app through the gateway: a paid job, then a Live Runner call...');
      byocRun = await runDemoByoc(network.gateway.httpUrl, network.tenants[0]?.apiKey, byocCapability, log);
    }

    let streamRun = { streams: 0, streamsSent: 0 };
    if (byoc) {
      log('a BYOC stream through the gateway to the example stream worker (examples/byoc-stream-echo) on orchestrator 1...');
      streamRun = await runDemoStreams(network.gateway.httpUrl, network.tenants[0]?.apiKey, network.orchestrators[0]!, log);
    }

    const tickets = await scrapeCounter(network.gateway.httpUrl, 'lpx_gateway_tickets_sent_total');
    const winnersPer = await Promise.all(network.orchestrators.map((o) => scrapeCounter(o.process.httpUrl, 'lpx_orchestrator_winning_tickets_total')));
    const winners = winnersPer.reduce((a, b) => a + b, 0);
    log(`gateway sent ${tickets} tickets; orchestrators received ${winners} winners; waiting for redemption...`);

    // Each orchestrator's ledger is its own: named by its redis prefix and its address.
    const ledgers = network.orchestrators.map((o, i) => settlementLedgerFor(redis, `{lpx-o${i + 1}}`, o.address));
    const deadline = Date.now() + (options.redeemTimeoutMs ?? 90_000);
    let redeemed = 0;
    let redeemedFaceValue = 0n;
    for (;;) {
      const entries = (await Promise.all(ledgers.map((l) => l.redeemed()))).flat();
      const failures = (await Promise.all(ledgers.map((l) => l.failed()))).flat();
      redeemed = entries.length;
      redeemedFaceValue = entries.reduce((sum, e) => sum + BigInt(e.faceValue), 0n);
      if (failures.length > 0) throw new Error(`winning ticket ${failures[0]!.ticketHash} failed to redeem: ${failures[0]!.reason}`);
      if (redeemed >= winners || Date.now() > deadline) break;
      await sleep(250);
    }
    const depositSpent = depositBefore - (await readSenderInfo(publicClient, broker, gateway)).deposit;
    log(`redeemed ${redeemed}/${winners} winners on-chain; the gateway's deposit fell by ${depositSpent} wei (redeemed face values ${redeemedFaceValue})`);
    return { jobs: count - run.failed, failed: run.failed, tickets, winners, redeemed, depositSpent, redeemedFaceValue, orchestratorsUsed: run.orchestrators.size, p50Ms: run.p50Ms, p99Ms: run.p99Ms, wallMs, segments: video.segments, segmentsFailed: video.failed, renditions: video.renditions, playlistRenditions: video.playlistRenditions, pixelsCharged, ai: aiRun.ok, aiFailed: aiRun.failed, ...byocRun, ...streamRun };
  } finally {
    await redis.quit().catch(() => redis.disconnect());
    await network.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
