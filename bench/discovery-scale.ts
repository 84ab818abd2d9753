/**
 * Discovery at scale (ADR 0062): time to a usable pool at 100 and 500
 * orchestrators — lightweight in-process GetOrchestrator endpoints over TLS
 * with a self-signed certificate (core/src/network/testing/info-servers.ts) —
 * against a baseline in the same run: the same number of raw grpc-js
 * GetOrchestrator calls with the same concurrency bound.
 *   - cold: a new pool, every orchestrator dialled (TLS handshakes);
 *     baseline: raw calls, each over a fresh channel;
 *   - warm: the next round of the same pool over its kept channels;
 *     baseline: raw calls over channels opened beforehand;
 *   - first usable: `untilUsable()` on a new pool (a job arriving at start).
 * Target (issue 13): a usable pool ≤ 1 s at 500. No thresholds; prints ratios.
 * Run: node --import tsx bench/discovery-scale.ts
 */
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { OrchestratorPool, POOL_DEFAULTS, CallLimiter } from '../core/src/gateway/pool/index.js';
import { gatewayCredentials, generateSelfSignedCertificate, getOrchestratorInfo, OrchestratorChannels, type GatewayCredentials } from '../core/src/network/index.js';
import { startInfoServers } from '../core/src/network/testing/info-servers.js';

const SIZES = (process.env['BENCH_DISCOVERY_SIZES'] ?? '100,500').split(',').map(Number);
const CONCURRENCY = Number(process.env['BENCH_DISCOVERY_CONCURRENCY'] ?? POOL_DEFAULTS.discoveryConcurrency);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** The baseline: every uri asked once with raw grpc-js calls, at most CONCURRENCY at once. */
let rawFailures = 0;
async function rawCalls(uris: readonly string[], credentials: GatewayCredentials, channels?: OrchestratorChannels): Promise<void> {
  const limiter = new CallLimiter(CONCURRENCY);
  // Under a loaded machine some dials miss go-livepeer's 3 s connect budget; counted, not fatal.
  const results = await Promise.allSettled(uris.map((uri) => limiter.run(() => getOrchestratorInfo(uri, { credentials, ...(channels !== undefined ? { channels } : {}) }))));
  rawFailures += results.filter((r) => r.status === 'rejected').length;
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);

async function main(): Promise<void> {
  const credentials = await gatewayCredentials(privateKeyToAccount(generatePrivateKey()));
  const tls = await generateSelfSignedCertificate({ hostname: '127.0.0.1' });
  console.log(`discovery at scale (in-process TLS GetOrchestrator endpoints, concurrency ${CONCURRENCY}, node ${process.version}); baseline = raw grpc-js calls, same bound`);
  for (const n of SIZES) {
    const servers = await startInfoServers(n, { tls });
    try {
      const candidates = async () => servers.uris.map((uri) => ({ uri }));
      // Warm-up: JIT, protobuf, TLS context.
      await rawCalls(servers.uris.slice(0, 10), credentials);

      const rawCold = await timed(() => rawCalls(servers.uris, credentials));
      const pool = new OrchestratorPool({ candidates, credentials }, { discoveryConcurrency: CONCURRENCY });
      let coldRound = { answered: [] as readonly string[], pending: [] as readonly string[], timedOut: false };
      const cold = await timed(async () => {
        coldRound = await pool.discover();
      });
      await pool.settled();
      const usableCold = coldRound.answered.length;

      const kept = new OrchestratorChannels();
      await rawCalls(servers.uris, credentials, kept);
      const rawWarm = await timed(() => rawCalls(servers.uris, credentials, kept));
      kept.close();
      const warm = await timed(() => pool.discover());
      const channels = pool.channels;
      pool.close();

      const fresh = new OrchestratorPool({ candidates, credentials }, { discoveryConcurrency: CONCURRENCY });
      const firstUsable = await timed(() => fresh.untilUsable('video/transcode'));
      await fresh.settled();
      fresh.close();

      console.log(`  n=${String(n).padEnd(4)} cold round (dial all)      ${fmt(cold)}   ${usableCold} usable${coldRound.timedOut ? `, tick ended it with ${coldRound.pending.length} pending` : ''}   raw ${fmt(rawCold)}   ${(cold / rawCold).toFixed(2)}× raw`);
      console.log(`  n=${String(n).padEnd(4)} warm round (kept channels) ${fmt(warm)}   ${channels.opened} channels for 2 rounds         raw ${fmt(rawWarm)}   ${(warm / rawWarm).toFixed(2)}× raw`);
      console.log(`  n=${String(n).padEnd(4)} first usable (untilUsable)  ${fmt(firstUsable)}`);
      if (rawFailures > 0) console.log(`  (raw baseline: ${rawFailures} calls failed so far — a loaded machine)`);
      if (n === 500) console.log(`  target: usable pool at 500 ≤ 1000 ms: cold ${cold.toFixed(0)} ms (${(cold / 1000).toFixed(2)}× target), warm ${warm.toFixed(0)} ms (${(warm / 1000).toFixed(2)}× target)`);
    } finally {
      await servers.stop();
    }
  }
}

await main();
