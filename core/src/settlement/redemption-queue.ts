import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WinningTicketRecord, WinningTicketSink } from '../payments/redemption/winning-ticket.js';
import { redemptionJobId, toRedeemable } from './redemption-ticket.js';
import type { SettlementLedger } from './settlement-ledger.js';

export const REDEMPTION_QUEUE_NAME = 'lpx-ticket-redemption';
export const REDEMPTION_JOB_NAME = 'redeem';
/** Names the worker's custom backoff; see redemption-worker.ts. */
export const REDEMPTION_BACKOFF = 'lpx-capped-exponential';

export interface RedemptionQueueOptions {
  connection: Redis;
  ledger: SettlementLedger;
  queueName?: string;
  /** Transient failures (RPC down, nonce races) retried this many times before a failed record. */
  maxAttempts?: number;
}

/**
 * The orchestrator's WinningTicketSink: each winning ticket becomes a BullMQ
 * job on Redis (run with AOF), with an id derived from its ticket hash so a
 * repeated hand-off never produces a second job. add() resolves only after
 * Redis has the job.
 */
export class RedemptionQueue implements WinningTicketSink {
  readonly queue: Queue<WinningTicketRecord>;
  private readonly jobOptions: JobsOptions;

  constructor(private readonly options: RedemptionQueueOptions) {
    this.queue = new Queue<WinningTicketRecord>(options.queueName ?? REDEMPTION_QUEUE_NAME, { connection: options.connection });
    this.jobOptions = {
      attempts: options.maxAttempts ?? 25,
      backoff: { type: REDEMPTION_BACKOFF },
      // Failed jobs stay for inspection (the ledger holds the reason too);
      // completed ones only need to outlive any late duplicate hand-off.
      removeOnFail: false,
      removeOnComplete: { age: 7 * 24 * 3600 },
    };
  }

  async add(record: WinningTicketRecord): Promise<void> {
    try {
      toRedeemable(record);
    } catch (error) {
      // Unredeemable, but it was a winning ticket someone handed us: keep a trace.
      const reason = error instanceof Error ? error.message : String(error);
      await this.options.ledger.recordFailed({ ticketHash: record.ticketHash, reason, code: 'LPX_ERR_CHAIN_SETTLEMENT_TICKET_INVALID', record, at: Date.now() });
      throw error;
    }
    await this.queue.add(REDEMPTION_JOB_NAME, record, { ...this.jobOptions, jobId: redemptionJobId(record.ticketHash) });
  }

  /** Counts by BullMQ state, for metrics and `lpx` status output. */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
