import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { chainErrors } from '../chain/chain-errors.js';
import type { WinningTicketRecord, WinningTicketSink } from '../payments/redemption/winning-ticket.js';
import { redemptionJobId, toRedeemable } from './redemption-ticket.js';
import type { SettlementLedger } from './settlement-ledger.js';
import { REDEMPTION_QUEUE_NAME, type SettlementNames } from './settlement-names.js';

export { REDEMPTION_QUEUE_NAME };
export const REDEMPTION_JOB_NAME = 'redeem';
/** Names the worker's custom backoff; see redemption-worker.ts. */
export const REDEMPTION_BACKOFF = 'lpx-capped-exponential';
/**
 * BullMQ attempts only count processor crashes (Redis hiccups, bugs): ticket
 * outcomes never throw, they re-delay the job (skipAttempt), so attempts can
 * never be what drops a still-valid ticket. Expiry on chain ends retries.
 */
export const REDEMPTION_ATTEMPTS = 1_000_000;

export interface RedemptionQueueOptions {
  connection: Redis;
  ledger: SettlementLedger;
  /** This recipient's queue (settlementNames(redis.prefix, address)). */
  names: SettlementNames;
  /** Processor crashes retried this many times (default REDEMPTION_ATTEMPTS). */
  maxAttempts?: number;
}

/** Job options shared by the queue and by hand-offs from other queues (forwarding, migration). */
export function redemptionJobOptions(maxAttempts = REDEMPTION_ATTEMPTS): JobsOptions {
  return {
    attempts: maxAttempts,
    backoff: { type: REDEMPTION_BACKOFF },
    // Failed jobs stay for inspection (the ledger holds the reason too);
    // completed ones only need to outlive any late duplicate hand-off.
    removeOnFail: false,
    removeOnComplete: { age: 7 * 24 * 3600 },
  };
}

/** Opens the queue of a recipient (own or another's, for forwarding). */
export function openRedemptionQueue(connection: Redis, names: SettlementNames): Queue<WinningTicketRecord> {
  return new Queue<WinningTicketRecord>(names.queueName, { connection, prefix: names.bullPrefix });
}

/**
 * The orchestrator's WinningTicketSink: each winning ticket becomes a BullMQ
 * job in this recipient's own queue on Redis (run with AOF), with an id
 * derived from its ticket hash so a repeated hand-off never produces a second
 * job. add() resolves only after Redis has the job, and refuses a ticket for
 * another recipient: its redemption is that recipient's business.
 */
export class RedemptionQueue implements WinningTicketSink {
  readonly queue: Queue<WinningTicketRecord>;
  readonly names: SettlementNames;
  private readonly jobOptions: JobsOptions;

  constructor(private readonly options: RedemptionQueueOptions) {
    this.names = options.names;
    this.queue = openRedemptionQueue(options.connection, options.names);
    this.jobOptions = redemptionJobOptions(options.maxAttempts);
  }

  async add(record: WinningTicketRecord): Promise<void> {
    if (String(record.recipient).toLowerCase() !== this.names.address) {
      throw chainErrors.SETTLEMENT_WRONG_RECIPIENT.create(
        `winning ticket ${record.ticketHash} is for recipient ${record.recipient}, not this queue's ${this.names.address}`,
        { details: { ticketHash: record.ticketHash, recipient: record.recipient, queueRecipient: this.names.address } },
      );
    }
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
