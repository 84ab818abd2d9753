import type { Command } from 'commander';
import { runDemo } from '../../demo/run-demo.js';
import { reportError, type Io } from '../output.js';

export function addDemoCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('start the local network (as `lpx dev up`), run paid jobs, push 1080p segments and send AI requests (real runner containers), a BYOC partner job and a Live Runner app call through its gateway, redeem the winning tickets, print a summary')
    .option('--jobs <n>', 'how many jobs', '20')
    .option('--segments <n>', 'how many 2 s 1080p segments to push through the HTTP ingest', '4')
    .option('--orchestrators <n>', 'how many orchestrators', '2')
    .option('--no-ai', 'skip the AI requests (no Docker, no runner image)')
    .option('--no-byoc', 'skip the BYOC partner app (no busybox image, no container)')
    .action(async (options: { jobs: string; segments: string; orchestrators: string; ai: boolean; byoc: boolean }) => {
      try {
        const summary = await runDemo({ jobs: Number.parseInt(options.jobs, 10), segments: Number.parseInt(options.segments, 10), orchestrators: Number.parseInt(options.orchestrators, 10), ai: options.ai, byoc: options.byoc, log: (line) => io.out(line) });
        io.out(`jobs: ${summary.jobs} ok, ${summary.failed} failed; latency p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms; wall ${summary.wallMs} ms`);
        const videoFailed = summary.segmentsFailed > 0 || summary.segments === 0 || summary.pixelsCharged <= 0;
        const aiFailed = options.ai && (summary.aiFailed > 0 || summary.ai === 0);
        const byocFailed = options.byoc && (summary.byoc !== summary.byocSent || summary.apps !== summary.appsSent || summary.byocSent === 0);
        if (summary.failed > 0 || videoFailed || aiFailed || byocFailed || summary.redeemed !== summary.winners || summary.depositSpent !== summary.redeemedFaceValue) {
          io.err(`demo failed: ${summary.failed} jobs did not complete; ${summary.segmentsFailed} segments failed (${summary.pixelsCharged} pixels charged); ${summary.aiFailed} AI requests failed; ${summary.byocSent - summary.byoc} BYOC jobs and ${summary.appsSent - summary.apps} app calls failed; ${summary.winners - summary.redeemed} winning tickets not redeemed; deposit spent ${summary.depositSpent} vs redeemed ${summary.redeemedFaceValue}`);
          setExit(1);
          return;
        }
        io.out(`demo ok: jobs=${summary.jobs} failed=${summary.failed} tickets=${summary.tickets} winners=${summary.winners} redeemed=${summary.redeemed} orchestrators=${summary.orchestratorsUsed} segments=${summary.segments} renditions=${summary.renditions} pixels=${summary.pixelsCharged} ai=${summary.ai} byoc=${summary.byoc}/${summary.byocSent} apps=${summary.apps}/${summary.appsSent} streams=${summary.streams}/${summary.streamsSent} p50_ms=${summary.p50Ms} p99_ms=${summary.p99Ms}`);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, false));
      }
    });
}
