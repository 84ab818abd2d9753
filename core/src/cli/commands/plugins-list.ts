import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { preparePlugins } from '../../boot/prepare-plugins.js';
import { reportError, table, type Io } from '../output.js';
import type { Permission, PermissionGrants } from '@lpx/sdk';
import { describePermissions } from '../../permissions/describe-grants.js';
import { PluginPermissions } from '../../permissions/plugin-permissions.js';

interface PluginRow {
  id: string;
  version: string;
  source: string;
  capabilities: string[];
  /** What the manifest declares (docs/adr/0036-permissions-enforced.md). */
  permissions: Permission[];
  /** The grants in force: the manifest's, plus the operator's `plugins.<id>.grants` when listed from a config. */
  grants: PermissionGrants;
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
        else io.out(table([['ID', 'VERSION', 'CAPABILITIES', 'PERMISSIONS', 'SOURCE'], ...rows.map((r) => [r.id, r.version, r.capabilities.join(',') || '-', describePermissions(r.permissions, r.grants), r.source])]));
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}

async function configuredPlugins(file: string, sets: string[]): Promise<PluginRow[]> {
  const loaded = loadConfig({ file, sets });
  const prepared = await preparePlugins(loaded, []);
  return prepared.graph.order.map((id) => {
    const plugin = prepared.byId.get(id)!;
    const { manifest } = plugin.definition;
    const { grants } = new PluginPermissions(manifest, loaded.config.plugins[id]?.grants);
    return { id, version: manifest.version, source: plugin.source, capabilities: (manifest.capabilities ?? []).map((c) => c.id), permissions: [...(manifest.permissions ?? [])], grants };
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
    const manifest = existsSync(manifestFile)
      ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as { id: string; version: string; capabilities?: { id: string }[]; permissions?: Permission[]; grants?: PermissionGrants })
      : undefined;
    rows.push({ id: manifest?.id ?? name.slice('plugin-'.length), version: manifest?.version ?? pkg.version, source: pkg.name, capabilities: (manifest?.capabilities ?? []).map((c) => c.id), permissions: manifest?.permissions ?? [], grants: manifest?.grants ?? {} });
  }
  return rows;
}
