/**
 * Two ways of doing the same jobs, measured in alternating rounds (flipping
 * which goes first), so drift — a redemption, the chain's blocks, the
 * machine's other load — falls on both: totals per path, each round's ratio,
 * CPU per named process (/proc) and the orchestrator's tickets per path.
 */
import { cpuMeter } from './proc-cpu.js';
import { measureConcurrent as measure, quantile } from './rate.js';

export interface PathTotals {
  readonly latencies: number[];
  seconds: number;
  readonly cpu: Record<string, number>;
  readonly tickets: { received: number; winning: number };
}

export interface AlternatingResult {
  readonly totals: { readonly gateway: PathTotals; readonly direct: PathTotals };
  readonly roundRatios: readonly number[];
  readonly jobsPerPath: number;
}

export function summarize(totals: PathTotals): { perSecond: number; p50: number } {
  const sorted = [...totals.latencies].sort((a, b) => a - b);
  return { perSecond: sorted.length / totals.seconds, p50: quantile(sorted, 0.5) };
}

/** Orchestrator counters from its /metrics: winning tickets make it (and anvil) redeem, which costs CPU. */
async function orchestratorTickets(httpUrl: string): Promise<{ received: number; winning: number }> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const counter = (name: string): number => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { received: counter('livepeer_tickets_recv'), winning: counter('livepeer_winning_tickets_recv') };
}

export async function alternate(options: {
  readonly rounds: number;
  readonly perRound: number;
  readonly concurrency: number;
  readonly paths: { readonly gateway: (i: number) => Promise<void>; readonly direct: (i: number) => Promise<void> };
  readonly pids: Readonly<Record<string, number>>;
  readonly orchestratorHttpUrl: string;
}): Promise<AlternatingResult> {
  const empty = (): PathTotals => ({ latencies: [], seconds: 0, cpu: {}, tickets: { received: 0, winning: 0 } });
  const totals = { gateway: empty(), direct: empty() };
  const roundRatios: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    const order = r % 2 === 0 ? (['gateway', 'direct'] as const) : (['direct', 'gateway'] as const);
    const perSecond = { gateway: 0, direct: 0 };
    for (const path of order) {
      const cpu = cpuMeter(options.pids);
      const before = await orchestratorTickets(options.orchestratorHttpUrl);
      const result = await measure(options.perRound, options.concurrency, options.paths[path]);
      const spent = cpu.seconds();
      const after = await orchestratorTickets(options.orchestratorHttpUrl);
      const into = totals[path];
      into.latencies.push(...result.latencies);
      into.seconds += result.latencies.length / result.perSecond;
      for (const [name, seconds] of Object.entries(spent)) into.cpu[name] = (into.cpu[name] ?? 0) + seconds;
      into.tickets.received += after.received - before.received;
      into.tickets.winning += after.winning - before.winning;
      perSecond[path] = result.perSecond;
    }
    roundRatios.push(perSecond.gateway / perSecond.direct);
  }
  return { totals, roundRatios, jobsPerPath: options.rounds * options.perRound };
}
