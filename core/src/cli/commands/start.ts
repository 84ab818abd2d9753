import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { Host } from '../../boot/host.js';
import { reportError, type Io } from '../output.js';

export function addStartCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('start')
    .description('start a node from a config file (gateway, orchestrator, worker... as its roles say)')
    .option('--config <file>', 'YAML or JSON config file (default: embedded defaults)')
    .option('--set <path=value...>', 'override a setting, e.g. --set http.port=9000 (repeatable)', [])
    .action(async (options: { config?: string; set: string[] }) => {
      let host: Host | undefined;
      try {
        host = new Host({ config: loadConfig({ ...(options.config ? { file: options.config } : {}), sets: options.set }) });
        await host.start();
        io.err(`lpx ready${host.url ? ` on ${host.url}` : ''}`);
        await waitForSignal();
        io.err('lpx stopping (draining jobs)...');
        await host.stop();
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, false));
      }
    });
}

/** Resolves on the first SIGTERM/SIGINT; a second one exits at once for an operator who means it. */
function waitForSignal(): Promise<void> {
  return new Promise((resolveSignal) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        process.stderr.write(`second ${signal}: exiting without draining\n`);
        process.exit(130);
      }
      received = true;
      resolveSignal();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
