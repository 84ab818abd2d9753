import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describeRelease, listVersions, readEntry } from '@lpx/registry';
import { reportError, table, type Io } from '../output.js';
import { releaseEntry, reportLines } from './plugin-release-arg.js';

/** `lpx plugin info`: one release in detail, or every version of a plugin with its review state. */
export function addPluginInfoCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('info')
    .description('show a plugin\'s versions, or one release in detail (manifest, signatures, review, content check)')
    .argument('<registry-dir>', 'local registry folder')
    .argument('<plugin>', '<id> or <id>@<version>')
    .option('--json', 'print JSON')
    .action(async (registryDir: string, plugin: string, options: { json?: boolean }) => {
      try {
        if (!plugin.includes('@', 1)) {
          const root = resolve(registryDir);
          const rows = [];
          for (const version of await listVersions(root, plugin)) {
            const report = await describeRelease(await readEntry(root, plugin, version), undefined, false);
            rows.push({ version, state: report.state, signedBy: report.signatures.filter((s) => s.valid).map((s) => s.keyId) });
          }
          if (options.json) io.out(JSON.stringify(rows));
          else if (rows.length === 0) io.out(`no versions of ${plugin} in ${root}`);
          else io.out(table([['VERSION', 'STATE', 'SIGNED BY'], ...rows.map((r) => [r.version, r.state, r.signedBy.join(',') || '-'])]));
          setExit(0);
          return;
        }
        const entry = await releaseEntry(registryDir, plugin);
        const report = await describeRelease(entry, undefined, true);
        const { manifest } = entry;
        const summary = {
          description: manifest.description,
          host: manifest.host,
          capabilities: (manifest.capabilities ?? []).map((c) => c.id),
          permissions: manifest.permissions ?? [],
          ...(manifest.byoc?.container ? { image: `${manifest.byoc.container.image} ${manifest.byoc.container.digest}` } : {}),
        };
        if (options.json) io.out(JSON.stringify({ ...report, manifest: summary }));
        else {
          const [first, ...rest] = reportLines(report);
          io.out([first!, `  ${summary.description ?? ''}`.trimEnd(), `  host ${summary.host}; capabilities: ${summary.capabilities.join(', ') || '-'}; permissions: ${summary.permissions.join(', ') || '-'}`, ...(summary.image ? [`  image: ${summary.image}`] : []), ...rest].filter((l) => l.trim() !== '').join('\n'));
        }
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
