import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { preparePlugins } from '../../boot/prepare-plugins.js';
import { checkStartable } from '../../boot/config-refusals.js';
import { reportError, type Io } from '../output.js';

export function addConfigCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const config = program.command('config').description('work with node config files');
  config
    .command('check')
    .description('validate a config file, its plugins and their config slices, and everything else `lpx start` would refuse, without starting anything')
    .argument('<file>', 'YAML or JSON config file')
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { set: string[]; json?: boolean }) => {
      try {
        const loaded = loadConfig({ file, sets: options.set });
        const warnings: string[] = [];
        const prepared = await preparePlugins(loaded, [], (message) => warnings.push(message));
        await checkStartable(loaded, prepared, { warn: (message) => warnings.push(message) });
        for (const warning of warnings) io.err(`warning: ${warning}`);
        const summary = { ok: true, file: loaded.file, roles: loaded.config.node.roles, plugins: [...prepared.graph.order] };
        io.out(options.json ? JSON.stringify(summary) : `ok: ${file} (roles: ${summary.roles.join(', ')}; plugins: ${summary.plugins.join(', ') || 'none'})`);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
