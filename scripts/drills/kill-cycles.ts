/**
 * kill -9 cycles: async jobs go in while, in turn, each orchestrator, the
 * gateway and Redis are SIGKILLed and restarted on the same config and data.
 * Afterwards every accepted job must have completed exactly once, and every
 * winning ticket must be redeemed by its own recipient (or still waiting
 * for its params to expire), none lost.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DrillClient } from './drill-client.js';
import { startDrillNetwork } from './drill-network.js';
import { auditSettlement, type SettlementFigures } from './settlement-audit.js';

export interface KillFigures {
  cycles: number;
  killed: Record<string, number>;
  submitted: number;
  accepted: number;
  completed: number;
  failed: number;
  lost: number;
  /** Jobs one orchestrator's workers ran more than once. */
  duplicated: number;
  /** Jobs that ran on two orchestrators: the gateway failed over from one that was killed mid-job. */
  ranOnTwoOrchestrators: number;
  crashes: number;
  tickets: SettlementFigures;
}

/** How many times each job's text was processed, per orchestrator (worker queue prefix). */
async function workerRuns(prefixes: readonly string[], connect: () => Promise<Redis>): Promise<Map<string, number>[]> {
  const redis = await connect();
  const perOrchestrator: Map<string, number>[] = [];
  for (const prefix of prefixes) {
    const runs = new Map<string, number>();
    const queue = new Queue('cap.byoc.echo.v1', { connection: redis, prefix });
    for (const job of await queue.getJobs(['completed'], 0, -1)) {
      const text = (job.data as { text?: string }).text;
      if (text !== undefined) runs.set(text, (runs.get(text) ?? 0) + 1);
    }
    await queue.close();
    perOrchestrator.push(runs);
  }
  return perOrchestrator;
}

export async function runKillCycles(options: { cycles: number; jobsPerCycle: number; log: (line: string) => void }): Promise<KillFigures> {
  const net = await startDrillNetwork({ orchestrators: 2 });
  const client = new DrillClient(net.gatewayUrl, net.apiKey);
  const targets = ['orchestrator-1', 'gateway', 'redis', 'orchestrator-2'];
  const figures: KillFigures = { cycles: options.cycles, killed: {}, submitted: 0, accepted: 0, completed: 0, failed: 0, lost: 0, duplicated: 0, ranOnTwoOrchestrators: 0, crashes: 0, tickets: { won: 0, redeemed: 0, redeemedByOwnRecipient: 0, redeemedByOther: 0, failed: 0, pending: 0 } };
  const accepted = new Map<string, string>(); // status path → text
  try {
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      const target = targets[(cycle - 1) % targets.length]!;
      const batch = Array.from({ length: options.jobsPerCycle }, (_, i) => ({ text: `drill-${cycle}-${i}`, delayMs: 100 + ((i * 97) % 900) }));
      const submitting = batch.map(async (input) => {
        figures.submitted++;
        const path = await client.submit(input);
        if (path !== undefined) accepted.set(path, input.text);
      });
      // Kill while the batch is in flight: some jobs are queued, some running, some paying.
      await sleep(300);
      options.log(`cycle ${cycle}/${options.cycles}: kill -9 ${target}`);
      if (target === 'redis') await net.killAndRestartRedis();
      else await net.killAndRestart(target);
      figures.killed[target] = (figures.killed[target] ?? 0) + 1;
      await Promise.all(submitting);
      await sleep(1_000);
    }
    options.log(`waiting for ${accepted.size} accepted jobs to settle`);
    const states = await client.settle([...accepted.keys()], 180_000);
    figures.accepted = accepted.size;
    for (const state of states.values()) {
      if (state?.state === 'completed') figures.completed++;
      else if (state?.state === 'failed') figures.failed++;
      else figures.lost++;
    }
    const runs = await workerRuns(['{lpx-o1}', '{lpx-o2}'], () => net.redis());
    const texts = [...accepted.values()];
    figures.duplicated = texts.filter((text) => runs.some((r) => (r.get(text) ?? 0) > 1)).length;
    figures.ranOnTwoOrchestrators = texts.filter((text) => runs.filter((r) => r.has(text)).length > 1).length;

    // Winners issued in the last seconds wait for their params to expire before redemption.
    options.log('waiting for winning tickets to be redeemed');
    const redis = await net.redis();
    const chain = { rpcUrl: net.dev.chain.rpcUrl, controller: net.dev.chain.controller };
    for (let i = 0; i < 60; i++) {
      figures.tickets = await auditSettlement(redis, chain);
      if (figures.tickets.pending === 0) break;
      await sleep(2_000);
    }
    figures.crashes = net.crashed().length;
  } finally {
    await net.stop();
  }
  return figures;
}
