import type { Redis } from 'ioredis';
import type { LocalAccount } from 'viem';
import type { Registry } from 'prom-client';
import type { LoggerService } from '@lpx/sdk';
import { blockNumberSourceFor, type BlockNumberSource } from '../chain/block-number.js';
import { connectChain, type ChainConnection, type ChainTarget } from '../chain/connection.js';
import { resolveProtocolAddresses } from '../chain/protocol-addresses.js';
import { migrateLegacyRedemptions, type LegacyMigrationResult } from './legacy-migration.js';
import { RedemptionQueue } from './redemption-queue.js';
import { RedemptionWorker, type RedemptionWorkerOptions } from './redemption-worker.js';
import { SettlementEvents, type SettlementOutcomeEvent } from './settlement-events.js';
import { SettlementLedger } from './settlement-ledger.js';
import { redemptionMetrics } from '../observability/redemption-metrics.js';
import { settlementMetrics } from './settlement-metrics.js';
import { settlementNames, type SettlementNames } from './settlement-names.js';
import { TicketRedeemer } from './ticket-redeemer.js';

export interface SettlementOptions extends ChainTarget {
  redis: Redis;
  /** The node's redis prefix (config.redis.prefix, e.g. `{lpx}`); queue and ledger live under `<prefix>:settlement`. */
  redisPrefix: string;
  /** The recipient's key: its address names the queue and ledger, and it pays redemption gas. */
  account: LocalAccount;
  logger?: LoggerService;
  /** Run the worker here; an enqueue-only orchestrator (redeemer elsewhere) sets false. Default true. */
  runWorker?: boolean;
  /** Move this recipient's jobs out of the pre-0121 shared queue on start. Default true. */
  migrateLegacy?: boolean;
  /** Processor crashes retried this many times (ticket outcomes never use attempts). */
  maxAttempts?: number;
  /** The node's prom-client registry for lpx_settlement_* metrics. */
  metrics?: Registry;
  /** Override the block clock (default: chosen from the chain id). */
  blockNumbers?: BlockNumberSource;
  /** Reuse clients already connected as `account` (default: connect to rpcUrl). */
  connection?: ChainConnection;
  worker?: Omit<RedemptionWorkerOptions, 'connection' | 'redeemer' | 'ledger' | 'names' | 'logger' | 'report'>;
}

export interface Settlement {
  /** Hand winning tickets here (the payments WinningTicketSink); refuses other recipients' tickets. */
  sink: RedemptionQueue;
  ledger: SettlementLedger;
  worker: RedemptionWorker | undefined;
  names: SettlementNames;
  /** What the start-up move from the legacy shared queue did. */
  migrated: LegacyMigrationResult;
  /** Every redemption outcome (redeemed, already_used, retry, waiting, failed, forwarded). */
  on(event: 'outcome', listener: (event: SettlementOutcomeEvent) => void): Settlement;
  off(event: 'outcome', listener: (event: SettlementOutcomeEvent) => void): Settlement;
  close(): Promise<void>;
}

/** Wires chain access, this recipient's durable queue and ledger and (optionally) its redeeming worker. */
export async function startSettlement(options: SettlementOptions): Promise<Settlement> {
  const names = settlementNames(options.redisPrefix, options.account.address);
  const { publicClient, walletClient, chainId } = options.connection ?? (await connectChain({ rpcUrl: options.rpcUrl, account: options.account }));
  if (walletClient !== undefined && walletClient.account.address.toLowerCase() !== names.address) {
    throw new TypeError(`settlement connection signs as ${walletClient.account.address}, not ${names.address}`);
  }
  const addresses = await resolveProtocolAddresses(publicClient, options.controller);
  const ledger = new SettlementLedger(options.redis, names.ledgerPrefix);
  const sink = new RedemptionQueue({
    connection: options.redis,
    ledger,
    names,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
  const migrated = options.migrateLegacy === false ? { moved: 0, leftForOthers: 0 } : await migrateLegacyRedemptions(options.redis, names, sink.queue);
  if (migrated.moved > 0) options.logger?.info({ ...migrated, queue: names.queueName }, 'moved winning tickets from the legacy shared redemption queue');

  const events = new SettlementEvents();
  const metrics = options.metrics === undefined ? undefined : settlementMetrics(options.metrics);
  const observed = options.metrics === undefined ? undefined : redemptionMetrics(options.metrics);
  const report = (event: SettlementOutcomeEvent) => {
    metrics?.record(event);
    observed?.record(event);
    events.emit('outcome', event);
  };
  let worker: RedemptionWorker | undefined;
  if (options.runWorker ?? true) {
    const redeemer = new TicketRedeemer({
      broker: { publicClient, walletClient: walletClient!, ticketBroker: addresses.ticketBroker },
      addresses,
      blockNumbers: options.blockNumbers ?? blockNumberSourceFor(publicClient, chainId),
      ledger,
    });
    worker = new RedemptionWorker({
      ...options.worker,
      connection: options.redis,
      redeemer,
      ledger,
      names,
      report,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  }
  const settlement: Settlement = {
    sink,
    ledger,
    worker,
    names,
    migrated,
    on(event, listener) {
      events.on(event, listener);
      return settlement;
    },
    off(event, listener) {
      events.off(event, listener);
      return settlement;
    },
    async close() {
      await worker?.close();
      await sink.close();
    },
  };
  return settlement;
}
