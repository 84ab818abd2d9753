import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describeRelease, listRegistry } from '@lpx/registry';
import { reportError, table, type Io } from '../output.js';

/** `lpx plugin list`: every release in a registry folder, with review state and signers. */
export function addPluginListCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('list')
    .description('list the releases in a registry folder with their review state and signers')
    .argument('<registry-dir>', 'local registry folder')
    .option('--json', 'print JSON')
    .action(async (registryDir: string, options: { json?: boolean }) => {
      try {
        const rows = [];
        for (const entry of await listRegistry(resolve(registryDir))) {
          const report = await describeRelease(entry, undefined, false);
          rows.push({ id: entry.id, version: entry.version, state: report.state, signedBy: report.signatures.filter((s) => s.valid).map((s) => s.keyId), invalidSignatures: report.signatures.filter((s) => !s.valid).length });
        }
        if (options.json) io.out(JSON.stringify(rows));
        else if (rows.length === 0) io.out('no plugins');
        else io.out(table([['ID', 'VERSION', 'STATE', 'SIGNED BY'], ...rows.map((r) => [r.id, r.version, r.state, [r.signedBy.join(',') || '-', ...(r.invalidSignatures > 0 ? [`(${r.invalidSignatures} INVALID)`] : [])].join(' ')])]));
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
