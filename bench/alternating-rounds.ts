/**
 * Ways of doing the same jobs, measured in alternating rounds (reversing the
 * order every other round), so drift — a redemption, the chain's blocks, the
 * machine's other load — falls on all: totals per path, each round's ratio of
 * every path to the baseline (`direct`), CPU per named process (/proc) and
 * the orchestrator's tickets per path.
 */
import { cpuMeter } from './proc-cpu.js';
import { measureConcurrent as measure, quantile } from './rate.js';

export interface PathTotals {
  readonly latencies: number[];
  seconds: number;
  readonly cpu: Record<string, number>;
  readonly tickets: { received: number; winning: number };
}

export interface AlternatingResult<P extends string> {
  readonly totals: Readonly<Record<P | 'direct', PathTotals>>;
  /** Per path, each round's throughput over the baseline's in the same round. */
  readonly roundRatios: Readonly<Record<P, readonly number[]>>;
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

export async function alternate<P extends string>(options: {
  readonly rounds: number;
  readonly perRound: number;
  readonly concurrency: number;
  /** The paths measured against the baseline `direct`. */
  readonly paths: Readonly<Record<P | 'direct', (i: number) => Promise<void>>>;
  readonly pids: Readonly<Record<string, number>>;
  readonly orchestratorHttpUrl: string;
}): Promise<AlternatingResult<P>> {
  const empty = (): PathTotals => ({ latencies: [], seconds: 0, cpu: {}, tickets: { received: 0, winning: 0 } });
  const names = Object.keys(options.paths) as (P | 'direct')[];
  const totals = Object.fromEntries(names.map((name) => [name, empty()])) as Record<P | 'direct', PathTotals>;
  const compared = names.filter((name): name is P => name !== 'direct');
  const roundRatios = Object.fromEntries(compared.map((name) => [name, [] as number[]])) as Record<P, number[]>;
  for (let r = 0; r < options.rounds; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    const perSecond = {} as Record<P | 'direct', number>;
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
    for (const name of compared) roundRatios[name].push(perSecond[name] / perSecond.direct);
  }
  return { totals, roundRatios, jobsPerPath: options.rounds * options.perRound };
}
