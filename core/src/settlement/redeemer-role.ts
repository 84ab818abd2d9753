/**
 * A key's settlement from node config: its redemption queue, ledger and (with
 * the `redeemer` role) the worker that redeems. The orchestrator starts it for
 * its own winners; a node whose only role is `redeemer` starts it to work the
 * queue of its key (the orchestrator's key, on the orchestrator's Redis and
 * redis.prefix), so an operator can move the gas-paying, chain-writing side to
 * its own process. Names come from the key's address only
 * (settlement-names.ts), so both processes meet on the same queue.
 */
import type { LocalAccount } from 'viem';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { LoggerService } from '@lpx/sdk';
import type { TeardownStack } from '../boot/teardown-stack.js';
import type { KernelConfig } from '../config/kernel-schema.js';
import { connectRedis } from '../redis/connect.js';
import { startSettlement, type Settlement } from './start-settlement.js';
import { redeemerNeedsChain } from '../config/start-refusals.js';

export interface RedeemerRoleOptions {
  readonly config: Pick<KernelConfig, 'chain' | 'redis'>;
  readonly account: LocalAccount;
  readonly redisUrl: string;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly teardown: TeardownStack;
  /** Run the redeeming worker (default true); an orchestrator without the redeemer role passes false. */
  readonly runWorker?: boolean;
}

/** Recheck pacing from the chain's L1 block time: dev chains tick fast, mainnet every ~12 s. */
export function redeemerPacing(l1BlockTimeMs: number) {
  return { l1BlockTimeMs, minRecheckMs: Math.min(1_000, l1BlockTimeMs), maxRecheckMs: Math.max(l1BlockTimeMs * 5, 1_000) };
}

export async function startRedeemerRole(options: RedeemerRoleOptions): Promise<Settlement> {
  const { config, logger, teardown } = options;
  const rpc = config.chain;
  if (rpc === undefined) throw redeemerNeedsChain();
  const redis = await connectRedis(options.redisUrl, { connectionName: 'lpx-settlement', connectTimeoutMs: config.redis.connectTimeoutMs });
  teardown.push('settlement redis', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  const settlement = await startSettlement({
    rpcUrl: rpc.rpcUrl,
    controller: rpc.controller as `0x${string}`,
    redis,
    redisPrefix: config.redis.prefix,
    account: options.account,
    logger: logger.child({ component: 'settlement' }) as unknown as LoggerService,
    runWorker: options.runWorker ?? true,
    metrics: options.metrics,
    worker: redeemerPacing(rpc.l1BlockTimeMs),
  });
  teardown.push('settlement', () => settlement.close());
  logger.info({ queue: settlement.names.queueName, prefix: settlement.names.bullPrefix, worker: options.runWorker ?? true }, 'settlement started');
  return settlement;
}
