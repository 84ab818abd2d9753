import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { LoggerService } from '@lpx/sdk';
import { classifyChainError } from '../chain/tx-errors.js';
import type { WinningTicketRecord } from '../payments/redemption/winning-ticket.js';
import type { RedemptionOutcome } from './redemption-outcome.js';
import { openRedemptionQueue, REDEMPTION_BACKOFF, REDEMPTION_JOB_NAME, redemptionJobOptions } from './redemption-queue.js';
import { redemptionJobId, toRedeemable, type RedeemableOnChain } from './redemption-ticket.js';
import type { SettlementOutcomeEvent, SettlementOutcomeKind } from './settlement-events.js';
import type { SettlementLedger } from './settlement-ledger.js';
import { siblingNames, type SettlementNames } from './settlement-names.js';
import type { TicketRedeemer } from './ticket-redeemer.js';

export interface RedemptionWorkerOptions {
  connection: Redis;
  redeemer: TicketRedeemer;
  ledger: SettlementLedger;
  /** This recipient's queue; the worker's account must be `names.address`. */
  names: SettlementNames;
  logger?: LoggerService;
  /** Every outcome of every attempt (metrics and `settlement.on('outcome')`). */
  report?: (event: SettlementOutcomeEvent) => void;
  /** Milliseconds per L1 block, to guess when expiring params are worth re-checking. */
  l1BlockTimeMs?: number;
  /** Bounds on how long a waiting ticket sleeps before the next check. */
  minRecheckMs?: number;
  maxRecheckMs?: number;
  /** Backoff for transient failures: base × 2^(retry-1), capped. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** BullMQ lock: how soon a redemption abandoned by a dead process is picked up again (default 30 s / 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** What a completed job returns (JSON-safe). */
export interface RedemptionResult {
  status: 'redeemed' | 'already-used' | 'forwarded';
  txHash: string | undefined;
  /** Wei received (decimal), for 'redeemed'. */
  payout?: string;
}

// A crash mid-redemption leaves a stalled job; BullMQ's default (1) would fail
// the ticket on the second crash. usedTickets makes a re-run safe.
const MAX_STALLED = 1_000;

/**
 * Redeems queued winning tickets one at a time — a single signing account
 * must not race itself for nonces. Every non-final outcome (waiting, a
 * transient failure, a revert) puts the job back in BullMQ's delayed set
 * (durable, and without spending an attempt); only a used, expired or
 * invalid ticket ends the job.
 */
export class RedemptionWorker {
  readonly worker: Worker<WinningTicketRecord, RedemptionResult>;

  constructor(private readonly options: RedemptionWorkerOptions) {
    const base = options.retryBaseMs ?? 1000;
    const cap = options.retryMaxMs ?? 60_000;
    this.worker = new Worker<WinningTicketRecord, RedemptionResult>(options.names.queueName, (job, token) => this.process(job, token), {
      connection: options.connection,
      prefix: options.names.bullPrefix,
      concurrency: 1,
      maxStalledCount: MAX_STALLED,
      ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
      ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
      settings: {
        backoffStrategy: (attemptsMade, type) => (type === REDEMPTION_BACKOFF ? Math.min(cap, base * 2 ** Math.max(0, attemptsMade - 1)) : base),
      },
    });
    this.worker.on('error', (error) => options.logger?.warn({ err: error }, 'redemption worker error'));
  }

  private async process(job: Job<WinningTicketRecord, RedemptionResult>, token: string | undefined): Promise<RedemptionResult> {
    const record = job.data;
    let t: RedeemableOnChain;
    try {
      t = toRedeemable(record);
    } catch (error) {
      return this.fail(record, 'malformed', error instanceof Error ? error.message : String(error), 'LPX_ERR_CHAIN_SETTLEMENT_TICKET_INVALID');
    }
    if (t.ticket.recipient.toLowerCase() !== this.options.names.address) return this.forward(record);

    let outcome: RedemptionOutcome;
    try {
      outcome = await this.options.redeemer.attempt(t);
    } catch (error) {
      // Anything thrown mid-attempt (RPC down, nonce race, a receipt that
      // never came) is transient: the next attempt starts by reading
      // usedTickets, so a tx that did land is never sent twice.
      const failure = classifyChainError(error);
      outcome = { status: 'retry', reason: failure.kind === 'transient' ? 'rpc' : 'unknown', detail: failure.kind === 'revert' ? failure.reason : failure.message };
    }
    return this.settle(job, token, outcome);
  }

  private async settle(job: Job<WinningTicketRecord, RedemptionResult>, token: string | undefined, outcome: RedemptionOutcome): Promise<RedemptionResult> {
    const { ledger, logger } = this.options;
    const record = job.data;
    switch (outcome.status) {
      case 'redeemed': {
        const payout = outcome.payout.toString();
        await ledger.recordRedeemed({ ticketHash: record.ticketHash, txHash: outcome.txHash, blockNumber: outcome.blockNumber.toString(), faceValue: record.faceValue, payout, at: Date.now() });
        this.report('redeemed', outcome.partial ? 'partial' : 'ok', record, { txHash: outcome.txHash, payout, gasFee: outcome.fee.toString() });
        logger?.info({ ticketHash: record.ticketHash, txHash: outcome.txHash, faceValue: record.faceValue, payout }, outcome.partial ? 'winning ticket redeemed short: the sender could not cover the face value' : 'winning ticket redeemed');
        return { status: 'redeemed', txHash: outcome.txHash, payout };
      }
      case 'already-used':
        // Another redeemer won the race or our own earlier attempt landed
        // before a crash or a lost receipt; either way the money moved once.
        await ledger.clearRetries(record.ticketHash);
        this.report('already_used', 'used-on-chain', record, outcome.txHash === undefined ? {} : { txHash: outcome.txHash });
        logger?.info({ ticketHash: record.ticketHash, txHash: outcome.txHash }, 'winning ticket already used on-chain; skipped');
        return { status: 'already-used', txHash: outcome.txHash };
      case 'wait': {
        const delayMs = this.recheckDelay(outcome.blocksLeft);
        this.report('waiting', outcome.reason, record, { delayMs, ...(outcome.detail === undefined ? {} : { detail: outcome.detail }) });
        logger?.debug({ ticketHash: record.ticketHash, reason: outcome.reason, detail: outcome.detail, delayMs }, 'winning ticket waits');
        return this.delay(job, token, delayMs);
      }
      case 'retry': {
        const retry = await ledger.nextRetry(record.ticketHash);
        const delayMs = this.backoff(retry);
        this.report('retry', outcome.reason, record, { detail: outcome.detail, retry, delayMs });
        logger?.warn({ ticketHash: record.ticketHash, reason: outcome.reason, detail: outcome.detail, retry, delayMs }, 'ticket redemption failed; retrying until the ticket expires');
        return this.delay(job, token, delayMs);
      }
      case 'failed':
        return this.fail(record, outcome.reason, outcome.detail, outcome.reason === 'expired' ? 'LPX_ERR_CHAIN_SETTLEMENT_TICKET_EXPIRED' : 'LPX_ERR_CHAIN_SETTLEMENT_TICKET_INVALID');
    }
  }

  /**
   * A ticket for another recipient (left by an older shared queue, or added
   * around RedemptionQueue.add) is handed to that recipient's queue, never
   * redeemed with this key: its gas and its ledger belong to its recipient.
   */
  private async forward(record: WinningTicketRecord): Promise<RedemptionResult> {
    const target = siblingNames(this.options.names, record.recipient);
    const queue = openRedemptionQueue(this.options.connection, target);
    try {
      await queue.add(REDEMPTION_JOB_NAME, record, { ...redemptionJobOptions(), jobId: redemptionJobId(record.ticketHash) });
    } finally {
      await queue.close();
    }
    this.report('forwarded', 'wrong-recipient', record, { detail: `handed to ${target.queueName}` });
    this.options.logger?.warn({ ticketHash: record.ticketHash, recipient: record.recipient, queue: target.queueName }, "winning ticket for another recipient handed to that recipient's queue");
    return { status: 'forwarded', txHash: undefined };
  }

  private async delay(job: Job<WinningTicketRecord, RedemptionResult>, token: string | undefined, delayMs: number): Promise<never> {
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  }

  private async fail(record: WinningTicketRecord, reason: string, detail: string, code: string): Promise<never> {
    await this.options.ledger.recordFailed({ ticketHash: record.ticketHash, reason: detail, code, record, at: Date.now() });
    this.report('failed', reason, record, { detail });
    this.options.logger?.error({ ticketHash: record.ticketHash, reason: detail, code }, 'winning ticket cannot be redeemed; recorded as failed');
    throw new UnrecoverableError(detail);
  }

  private report(outcome: SettlementOutcomeKind, reason: string, record: WinningTicketRecord, extra: Partial<SettlementOutcomeEvent>): void {
    try {
      this.options.report?.({
        outcome,
        reason,
        ticketHash: record.ticketHash,
        recipient: String(record.recipient).toLowerCase(),
        sender: String(record.sender).toLowerCase(),
        faceValue: String(record.faceValue),
        at: Date.now(),
        ...extra,
      });
    } catch (error) {
      // A listener's bug must not change what happens to the ticket.
      this.options.logger?.warn({ err: error }, 'settlement outcome listener threw');
    }
  }

  private backoff(retry: number): number {
    const base = this.options.retryBaseMs ?? 1000;
    const cap = this.options.retryMaxMs ?? 60_000;
    return Math.min(cap, base * 2 ** Math.min(30, Math.max(0, retry - 1)));
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
