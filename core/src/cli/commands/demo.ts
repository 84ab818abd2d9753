import type { Command } from 'commander';
import { runDemo } from '../../demo/run-demo.js';
import { reportError, type Io } from '../output.js';

export function addDemoCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('boot a node on embedded defaults, run example jobs through BullMQ and print a summary')
    .option('--jobs <n>', 'how many jobs', '20')
    .action(async (options: { jobs: string }) => {
      try {
        const summary = await runDemo({ jobs: Number.parseInt(options.jobs, 10), log: (line) => io.out(line) });
        io.out(`jobs: ${summary.jobs} ok, ${summary.failed} failed; latency p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms; wall ${summary.wallMs} ms`);
        if (summary.failed > 0 || summary.redeemed !== summary.winners) {
          io.err(`demo failed: ${summary.failed} jobs did not complete; ${summary.winners - summary.redeemed} winning tickets not redeemed`);
          setExit(1);
          return;
        }
        io.out(`demo ok: jobs=${summary.jobs} failed=${summary.failed} tickets=${summary.tickets} winners=${summary.winners} redeemed=${summary.redeemed} p50_ms=${summary.p50Ms} p99_ms=${summary.p99Ms}`);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, false));
      }
    });
}
