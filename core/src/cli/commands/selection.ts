import type { Command } from 'commander';
import { runSelectionSimulation } from '../../selection/simulate/index.js';
import { reportError, type Io } from '../output.js';

export function addSelectionCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const selection = program.command('selection').description('test selection policies offline');
  selection
    .command('simulate')
    .description('replay a recorded discovery snapshot through a selection algorithm and print the distribution of picks')
    .requiredOption('--snapshot <file>', 'JSON snapshot (see examples/selection-snapshot.json)')
    .option('--algorithm <name>', 'probability | min-ls | live (or the plugin id)', 'probability')
    .option('--runs <n>', 'how many selections', '10000')
    .option('--seed <n>', 'random seed, for repeatable runs', '1')
    .option('--json', 'print JSON')
    .action(async (options: { snapshot: string; algorithm: string; runs: string; seed: string; json?: boolean }) => {
      try {
        const report = await runSelectionSimulation({ snapshotFile: options.snapshot, algorithmName: options.algorithm, runs: Number(options.runs), seed: Number(options.seed) });
        io.out(options.json ? JSON.stringify(report.result) : report.text);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
