// Shared set-up for settlement tests: a real anvil chain and a real
// redis-server child (AOF on), plus a settlement wired to both.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { privateKeyToAccount } from 'viem/accounts';
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

export function settlementFor(chain: EmbeddedChain, redis: Redis, runWorker = true): Promise<Settlement> {
  const orchestrator = chain.accounts.find((account) => account.role === 'orchestrator')!;
  return startSettlement({
    rpcUrl: chain.rpcUrl,
    controller: chain.controller,
    redis,
    account: privateKeyToAccount(orchestrator.privateKey),
    runWorker,
    maxAttempts: 5,
    worker: { l1BlockTimeMs: 20, minRecheckMs: 40, maxRecheckMs: 200, retryBaseMs: 50, retryMaxMs: 200 },
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
