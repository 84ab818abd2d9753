import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Host } from '../boot/host.js';
import { loadConfig } from '../config/load-config.js';
import { startEmbeddedChain } from '../chain/index.js';
import { runPaidTickets } from '../payments-chain/index.js';

export interface DemoSummary {
  jobs: number;
  tickets: number;
  winners: number;
  redeemed: number;
  /** Wei the sender's on-chain deposit fell by; equals the winners' face values. */
  depositSpent: bigint;
  failed: number;
  workers: number;
  p50Ms: number;
  p99Ms: number;
  wallMs: number;
}

/**
 * The demo on embedded defaults: a node with its own redis-server, the
 * example echo plugin, and `jobs` requests through its HTTP route, each one a
 * BullMQ job. Later issues grow this into the full local network.
 */
export async function runDemo(options: { jobs?: number; tickets?: number; log?: (line: string) => void } = {}): Promise<DemoSummary> {
  const count = options.jobs ?? 20;
  const log = options.log ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'lpx-demo-'));
  const host = new Host({
    config: loadConfig({
      raw: {
        node: { name: 'lpx-demo', roles: ['worker'], dataDir },
        log: { level: 'warn' },
        http: { port: 0 },
        plugins: { 'example-echo': { module: '@lpx/plugin-example-echo', config: { concurrency: 4 } } },
      },
      env: {},
    }),
  });
  try {
    await host.start();
    log(`node ready on ${host.url} (embedded redis, plugin example-echo)`);
    const started = Date.now();
    const latencies: number[] = [];
    const workers = new Set<number>();
    let failed = 0;
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const t0 = performance.now();
        const response = await fetch(`${host.url}/plugins/example-echo/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: `job ${i}` }),
        });
        const body = (await response.json()) as { text?: string; worker?: number };
        latencies.push(performance.now() - t0);
        if (response.status !== 200 || body.text !== `job ${i}`) failed++;
        else workers.add(body.worker ?? -1);
      }),
    );
    const wallMs = Date.now() - started;
    latencies.sort((a, b) => a - b);
    const pick = (q: number): number => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);

    log('starting the embedded chain (anvil + dev protocol contracts) and paying with tickets...');
    const chain = await startEmbeddedChain({});
    try {
      const paid = await runPaidTickets({ chain, redisUrl: host.redisUrl, tickets: options.tickets ?? 10 });
      if (paid.depositBefore - paid.depositAfter !== paid.winningFaceValue) throw new Error('the deposit did not fall by exactly the redeemed face values');
      log(`paid ${paid.tickets} tickets (${paid.winners} winners, redeemed on-chain ${paid.redeemed}); deposit fell by ${paid.winningFaceValue} wei`);
      return {
        jobs: count - failed,
        failed,
        workers: workers.size,
        p50Ms: pick(0.5),
        p99Ms: pick(0.99),
        wallMs,
        tickets: paid.tickets,
        winners: paid.winners,
        redeemed: paid.redeemed,
        depositSpent: paid.depositBefore - paid.depositAfter,
      };
    } finally {
      await chain.stop();
    }
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
