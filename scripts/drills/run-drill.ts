// npm run drill -- <fuzz|kill|soak|large|all> [options]
// The fault-and-fuzz audit's drills, kept runnable (not in CI: they take minutes
// and load the machine). Each prints its figures as a table and one JSON line.
import { Command } from 'commander';
import { runFuzz } from './fuzz.js';
import { runKillCycles } from './kill-cycles.js';
import { runLargePayloads } from './large-payloads.js';
import { runSoak } from './soak.js';

const log = (line: string) => process.stderr.write(`[drill] ${line}\n`);

function report(name: string, figures: object): void {
  console.log(`\n== drill ${name}`);
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(24)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  console.log(`DRILL ${JSON.stringify({ drill: name, ...figures })}`);
}

const drills: Record<string, (o: Record<string, string>) => Promise<object>> = {
  fuzz: (o) => runFuzz({ requests: Number(o.requests), seed: Number(o.seed), log }),
  kill: (o) => runKillCycles({ cycles: Number(o.cycles), jobsPerCycle: Number(o.jobsPerCycle), log }),
  soak: (o) => runSoak({ minutes: Number(o.minutes), concurrency: Number(o.concurrency), log }),
  large: (o) => runLargePayloads({ count: Number(o.large), megabytes: Number(o.megabytes), log }),
};

const program = new Command('drill')
  .argument('<which>', `${Object.keys(drills).join(' | ')} | all`)
  .option('--requests <n>', 'fuzz: junk requests', '22000')
  .option('--seed <n>', 'fuzz: random seed', '1')
  .option('--cycles <n>', 'kill: kill -9 cycles', '8')
  .option('--jobs-per-cycle <n>', 'kill: async jobs submitted per cycle', '20')
  .option('--minutes <n>', 'soak: duration', '10')
  .option('--concurrency <n>', 'soak: concurrent clients', '4')
  .option('--large <n>', 'large: how many large jobs', '11')
  .option('--megabytes <n>', 'large: size of each job body', '15')
  .action(async (which: string, options: Record<string, string>) => {
    const names = which === 'all' ? Object.keys(drills) : [which];
    for (const name of names) {
      const drill = drills[name];
      if (drill === undefined) throw new Error(`unknown drill ${name}; one of ${Object.keys(drills).join(', ')}, all`);
      log(`starting ${name}`);
      report(name, await drill(options));
    }
  });

await program.parseAsync(process.argv);
// Library timers (BullMQ, viem) may linger; the figures are printed, so end here.
process.exit(0);
