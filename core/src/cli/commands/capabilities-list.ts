import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { preparePlugins } from '../../boot/prepare-plugins.js';
import { CapabilityRegistry, livepeerIdsFor } from '../../capabilities/index.js';
import { reportError, table, type Io } from '../output.js';

export function addCapabilitiesCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const capabilities = program.command('capabilities').description('inspect the capability registry');
  capabilities
    .command('list')
    .description('list the capabilities a config would advertise, with prices, capacity and go-livepeer ids')
    .requiredOption('--config <file>', 'node config file')
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--json', 'print JSON')
    .action(async (options: { config: string; set: string[]; json?: boolean }) => {
      try {
        const loaded = loadConfig({ file: options.config, sets: options.set });
        const prepared = await preparePlugins(loaded, []);
        const registry = new CapabilityRegistry();
        for (const plugin of prepared.byId.values()) {
          for (const declaration of plugin.definition.manifest.capabilities ?? []) registry.declare(plugin.id, declaration, loaded.config.capabilities[declaration.id]);
        }
        const rows = registry.list().map((d) => ({ ...d, livepeerCapabilities: livepeerIdsFor(d.id) }));
        if (options.json) io.out(JSON.stringify(rows));
        else if (rows.length === 0) io.out('no capabilities');
        else {
          io.out(
            table([
              ['ID', 'MODE', 'CAPACITY', 'PRICE', 'MODELS', 'PLUGIN', 'LIVEPEER'],
              ...rows.map((r) => [
                `${r.id}@${r.version}`,
                r.mode,
                String(r.capacity),
                r.price ? `${r.price.pricePerUnit}/${r.price.pixelsPerUnit ?? '1'} ${r.priceUnit}` : '-',
                Object.keys(r.constraints.models ?? {}).join(',') || '-',
                r.providedBy,
                r.livepeerCapabilities.join(',') || '-',
              ]),
            ]),
          );
        }
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
