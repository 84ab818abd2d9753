import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LoggerService } from '@lpx/sdk';
import type { WinningTicketRecord } from '../payments/redemption/winning-ticket.js';
import { REDEMPTION_BACKOFF, REDEMPTION_QUEUE_NAME } from './redemption-queue.js';
import { toRedeemable } from './redemption-ticket.js';
import type { SettlementLedger } from './settlement-ledger.js';
import type { RedemptionOutcome, TicketRedeemer } from './ticket-redeemer.js';

export interface RedemptionWorkerOptions {
  connection: Redis;
  redeemer: TicketRedeemer;
  ledger: SettlementLedger;
  queueName?: string;
  logger?: LoggerService;
  /** Milliseconds per L1 block, to guess when expiring params are worth re-checking. */
  l1BlockTimeMs?: number;
  /** Bounds on how long a waiting ticket sleeps before the next check. */
  minRecheckMs?: number;
  maxRecheckMs?: number;
  /** Backoff for transient errors: base × 2^(attempt-1), capped. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/** What a completed job returns (JSON-safe). */
export interface RedemptionResult {
  status: 'redeemed' | 'already-used';
  txHash: string | undefined;
}

/**
 * Redeems queued winning tickets one at a time — a single signing account
 * must not race itself for nonces. Waiting tickets go back to BullMQ's
 * delayed set (not an in-process timer), so a restart loses no schedule.
 */
export class RedemptionWorker {
  readonly worker: Worker<WinningTicketRecord, RedemptionResult>;

  constructor(private readonly options: RedemptionWorkerOptions) {
    const base = options.retryBaseMs ?? 1000;
    const cap = options.retryMaxMs ?? 60_000;
    this.worker = new Worker<WinningTicketRecord, RedemptionResult>(
      options.queueName ?? REDEMPTION_QUEUE_NAME,
      (job, token) => this.process(job, token),
      {
        connection: options.connection,
        concurrency: 1,
        settings: {
          backoffStrategy: (attemptsMade, type) =>
            type === REDEMPTION_BACKOFF ? Math.min(cap, base * 2 ** Math.max(0, attemptsMade - 1)) : base,
        },
      },
    );
    this.worker.on('error', (error) => options.logger?.warn({ err: error }, 'redemption worker error'));
  }

  private async process(job: Job<WinningTicketRecord, RedemptionResult>, token: string | undefined): Promise<RedemptionResult> {
    const { ledger, logger } = this.options;
    const record = job.data;
    let outcome: RedemptionOutcome;
    try {
      outcome = await this.options.redeemer.attempt(toRedeemable(record));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = (error as { code?: unknown }).code;
      if (code === 'LPX_ERR_CHAIN_SETTLEMENT_TICKET_INVALID') return this.fail(record, message, String(code));
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await ledger.recordFailed({ ticketHash: record.ticketHash, reason: `gave up after ${job.attemptsMade + 1} attempts: ${message}`, code: 'LPX_ERR_CHAIN_SETTLEMENT_REDEEM_FAILED', record, at: Date.now() });
      }
      logger?.warn({ ticketHash: record.ticketHash, attempt: job.attemptsMade + 1, err: error }, 'ticket redemption failed; will retry');
      throw error;
    }

    switch (outcome.status) {
      case 'redeemed':
        await ledger.recordRedeemed({ ticketHash: record.ticketHash, txHash: outcome.txHash, blockNumber: outcome.blockNumber.toString(), faceValue: record.faceValue, at: Date.now() });
        logger?.info({ ticketHash: record.ticketHash, txHash: outcome.txHash, faceValue: record.faceValue }, 'winning ticket redeemed');
        return { status: 'redeemed', txHash: outcome.txHash };
      case 'already-used':
        // Either another redeemer won the race or our own earlier attempt
        // landed before a crash; in both cases the money moved exactly once.
        logger?.info({ ticketHash: record.ticketHash, txHash: outcome.txHash }, 'winning ticket already used on-chain; skipped');
        return { status: 'already-used', txHash: outcome.txHash };
      case 'wait':
        await job.moveToDelayed(Date.now() + this.recheckDelay(outcome.blocksLeft), token);
        throw new DelayedError();
      case 'failed':
        return this.fail(record, outcome.reason, 'LPX_ERR_CHAIN_SETTLEMENT_REDEEM_FAILED');
    }
  }

  private async fail(record: WinningTicketRecord, reason: string, code: string): Promise<never> {
    await this.options.ledger.recordFailed({ ticketHash: record.ticketHash, reason, code, record, at: Date.now() });
    this.options.logger?.error({ ticketHash: record.ticketHash, reason }, 'winning ticket cannot be redeemed; recorded as failed');
    throw new UnrecoverableError(reason);
  }

  private recheckDelay(blocksLeft: bigint | undefined): number {
    const min = this.options.minRecheckMs ?? 1000;
    const max = this.options.maxRecheckMs ?? 60_000;
    const guess = blocksLeft === undefined ? max : Number(blocksLeft) * (this.options.l1BlockTimeMs ?? 12_000);
    return Math.min(max, Math.max(min, guess));
  }

  /** Graceful by default (lets an in-flight redemption finish); `force` drops it, which is safe: it is retried and usedTickets prevents a double payout. */
  close(force = false): Promise<void> {
    return this.worker.close(force);
  }
}
