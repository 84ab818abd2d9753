import type { Redis } from 'ioredis';
import type { LocalAccount } from 'viem';
import type { LoggerService } from '@lpx/sdk';
import { blockNumberSourceFor, type BlockNumberSource } from '../chain/block-number.js';
import { connectChain, type ChainTarget } from '../chain/connection.js';
import { resolveProtocolAddresses } from '../chain/protocol-addresses.js';
import { RedemptionQueue } from './redemption-queue.js';
import { RedemptionWorker, type RedemptionWorkerOptions } from './redemption-worker.js';
import { SettlementLedger } from './settlement-ledger.js';
import { TicketRedeemer } from './ticket-redeemer.js';

export interface SettlementOptions extends ChainTarget {
  redis: Redis;
  /** The account that pays redemption gas (the orchestrator's or a redeemer's key). */
  account: LocalAccount;
  logger?: LoggerService;
  /** Run the worker here; a gateway-only or enqueue-only node sets false. Default true. */
  runWorker?: boolean;
  queueName?: string;
  ledgerPrefix?: string;
  maxAttempts?: number;
  /** Override the block clock (default: chosen from the chain id). */
  blockNumbers?: BlockNumberSource;
  worker?: Omit<RedemptionWorkerOptions, 'connection' | 'redeemer' | 'ledger' | 'queueName' | 'logger'>;
}

export interface Settlement {
  /** Hand winning tickets here (the payments WinningTicketSink). */
  sink: RedemptionQueue;
  ledger: SettlementLedger;
  worker: RedemptionWorker | undefined;
  close(): Promise<void>;
}

/** Wires chain access, the durable queue and (optionally) the redeeming worker. */
export async function startSettlement(options: SettlementOptions): Promise<Settlement> {
  const { publicClient, walletClient, chainId } = await connectChain({ rpcUrl: options.rpcUrl, account: options.account });
  const addresses = await resolveProtocolAddresses(publicClient, options.controller);
  const ledger = new SettlementLedger(options.redis, options.ledgerPrefix);
  const queueName = options.queueName;
  const sink = new RedemptionQueue({
    connection: options.redis,
    ledger,
    ...(queueName === undefined ? {} : { queueName }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
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
      ...(queueName === undefined ? {} : { queueName }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  }
  return {
    sink,
    ledger,
    worker,
    async close() {
      await worker?.close();
      await sink.close();
    },
  };
}
