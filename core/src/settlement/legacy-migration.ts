import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WinningTicketRecord } from '../payments/redemption/winning-ticket.js';
import { REDEMPTION_JOB_NAME, redemptionJobOptions } from './redemption-queue.js';
import { redemptionJobId } from './redemption-ticket.js';
import { LEGACY_REDEMPTION_QUEUE, type SettlementNames } from './settlement-names.js';

export interface LegacyMigrationResult {
  /** Jobs of this recipient now in its own queue (and gone from the legacy one). */
  moved: number;
  /** Jobs for other recipients, left where they are for their own node to move. */
  leftForOthers: number;
}

// Active jobs belong to an old worker still running; it finishes or they
// stall back to waiting and the next start moves them. Completed ones are done.
const MOVABLE = ['waiting', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;

/**
 * Upgrade path from the single shared, unprefixed queue
 * (`bull:lpx-ticket-redemption`): moves this recipient's unfinished jobs into
 * its own queue and leaves everyone else's. Failed jobs move too: before
 * per-recipient queues a revert dropped still-valid tickets, and the worker
 * now re-examines them (an expired or used one ends as such). Idempotent: the
 * job id is the ticket hash, so a second run (or two nodes racing) adds
 * nothing twice, and a job is removed from the legacy queue only after its
 * copy exists.
 */
export async function migrateLegacyRedemptions(connection: Redis, own: SettlementNames, target: Queue<WinningTicketRecord>): Promise<LegacyMigrationResult> {
  const result: LegacyMigrationResult = { moved: 0, leftForOthers: 0 };
  // Nothing to do (the common case) without creating any key.
  if ((await connection.exists(`${LEGACY_REDEMPTION_QUEUE.prefix}:${LEGACY_REDEMPTION_QUEUE.name}:meta`, `${LEGACY_REDEMPTION_QUEUE.prefix}:${LEGACY_REDEMPTION_QUEUE.name}:id`)) === 0) {
    return result;
  }
  const legacy = new Queue<WinningTicketRecord>(LEGACY_REDEMPTION_QUEUE.name, { connection, prefix: LEGACY_REDEMPTION_QUEUE.prefix });
  try {
    // One read of every movable job: the legacy queue only ever shrinks now
    // (nothing adds to it), and paging while removing would skip jobs.
    const jobs = await legacy.getJobs([...MOVABLE], 0, -1, true);
    for (const job of jobs) {
      if (job?.data === undefined || job.id === undefined) continue;
      if (String(job.data.recipient).toLowerCase() !== own.address) {
        result.leftForOthers += 1;
        continue;
      }
      await target.add(REDEMPTION_JOB_NAME, job.data, { ...redemptionJobOptions(), jobId: redemptionJobId(job.data.ticketHash) });
      // A job locked by a still-running old worker cannot be removed; it is
      // then in both queues, which is safe: usedTickets stops a second payout.
      await job.remove().catch(() => undefined);
      result.moved += 1;
    }
  } finally {
    await legacy.close();
  }
  return result;
}
