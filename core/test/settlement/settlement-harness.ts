// Shared set-up for settlement tests: a real anvil chain and a real
// redis-server child (AOF on), plus a settlement wired to both.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { privateKeyToAccount } from 'viem/accounts';
import type { BlockNumberSource } from '../../src/chain/block-number.js';
import type { ChainConnection } from '../../src/chain/connection.js';
import type { EmbeddedChain } from '../../src/chain/embedded-anvil.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { startSettlement, type Settlement } from '../../src/settlement/start-settlement.js';

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function redisAt(dataDir: string, port?: number): Promise<{ server: EmbeddedRedis; client: Redis }> {
  const server = await startEmbeddedRedis({ dataDir, ...(port === undefined ? {} : { port }) });
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  return { server, client };
}

export interface SettlementForOptions {
  runWorker?: boolean;
  /** Which key settles (default: the chain's first orchestrator account). */
  privateKey?: `0x${string}`;
  redisPrefix?: string;
  metrics?: Registry;
  blockNumbers?: BlockNumberSource;
  connection?: ChainConnection;
}

export function settlementFor(chain: EmbeddedChain, redis: Redis, options: SettlementForOptions | boolean = {}): Promise<Settlement> {
  const opts = typeof options === 'boolean' ? { runWorker: options } : options;
  const orchestrator = chain.accounts.find((account) => account.role === 'orchestrator')!;
  return startSettlement({
    rpcUrl: chain.rpcUrl,
    controller: chain.controller,
    redis,
    redisPrefix: opts.redisPrefix ?? '{lpx}',
    account: privateKeyToAccount(opts.privateKey ?? orchestrator.privateKey),
    runWorker: opts.runWorker ?? true,
    ...(opts.metrics === undefined ? {} : { metrics: opts.metrics }),
    ...(opts.blockNumbers === undefined ? {} : { blockNumbers: opts.blockNumbers }),
    ...(opts.connection === undefined ? {} : { connection: opts.connection }),
    // A short lock so a job abandoned by a killed node (redis-restart.test.ts)
    // is picked up again within the test's patience, as it would be in 30 s live.
    worker: { l1BlockTimeMs: 20, minRecheckMs: 40, maxRecheckMs: 200, retryBaseMs: 50, retryMaxMs: 200, lockDurationMs: 2_000, stalledIntervalMs: 500 },
  });
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}
