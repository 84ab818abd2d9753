import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { preparePlugins } from '../../boot/prepare-plugins.js';
import { reportError, table, type Io } from '../output.js';

interface PluginRow {
  id: string;
  version: string;
  source: string;
  capabilities: string[];
}

export function addPluginsCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const plugins = program.command('plugins').description('inspect plugins');
  plugins
    .command('list')
    .description('list the plugins a config loads, or the plugin packages installed here')
    .option('--config <file>', 'node config file')
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--json', 'print JSON')
    .action(async (options: { config?: string; set: string[]; json?: boolean }) => {
      try {
        const rows = options.config ? await configuredPlugins(options.config, options.set) : installedPluginPackages(process.cwd());
        if (options.json) io.out(JSON.stringify(rows));
        else if (rows.length === 0) io.out('no plugins');
        else io.out(table([['ID', 'VERSION', 'CAPABILITIES', 'SOURCE'], ...rows.map((r) => [r.id, r.version, r.capabilities.join(',') || '-', r.source])]));
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}

async function configuredPlugins(file: string, sets: string[]): Promise<PluginRow[]> {
  const prepared = await preparePlugins(loadConfig({ file, sets }), []);
  return prepared.graph.order.map((id) => {
    const plugin = prepared.byId.get(id)!;
    const { manifest } = plugin.definition;
    return { id, version: manifest.version, source: plugin.source, capabilities: (manifest.capabilities ?? []).map((c) => c.id) };
  });
}

/** Packages named @lpx/plugin-* visible from the working directory, read from their manifests without importing code. */
function installedPluginPackages(cwd: string): PluginRow[] {
  const scope = join(cwd, 'node_modules', '@lpx');
  if (!existsSync(scope)) return [];
  const rows: PluginRow[] = [];
  for (const name of readdirSync(scope).filter((n) => n.startsWith('plugin-')).sort()) {
    const dir = join(scope, name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; name: string };
    const manifestFile = join(dir, 'plugin.manifest.json');
    const manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as { id: string; version: string; capabilities?: { id: string }[] }) : undefined;
    rows.push({ id: manifest?.id ?? name.slice('plugin-'.length), version: manifest?.version ?? pkg.version, source: pkg.name, capabilities: (manifest?.capabilities ?? []).map((c) => c.id) });
  }
  return rows;
}
