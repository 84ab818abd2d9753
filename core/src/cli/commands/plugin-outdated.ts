import type { Command } from 'commander';
import { isLpxError } from '@lpx/sdk';
import { listVersions, readLockfile, selectRelease } from '@lpx/registry';
import { loadConfig } from '../../config/load-config.js';
import { lockfilePathOf, trustPolicyOf } from '../../plugins/load-plugins.js';
import { registryOrigin } from '../../plugins/registry-origin.js';
import { reportError, table, type Io } from '../output.js';

interface OutdatedRow {
  id: string;
  range: string;
  locked: string | null;
  /** The version a fresh resolve would install under the node's trust policy. */
  wanted: string | null;
  /** Why nothing in the range is acceptable, when `wanted` is null. */
  refusal?: string;
  latest: string | null;
}

/** `lpx plugin outdated`: the lockfile against what the registry offers now. */
export function addPluginOutdatedCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('outdated')
    .description('compare a node\'s plugin lockfile with the newest acceptable and the newest published versions')
    .requiredOption('--config <file>', 'node config file')
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--json', 'print JSON')
    .action(async (options: { config: string; set: string[]; json?: boolean }) => {
      try {
        const loaded = loadConfig({ file: options.config, sets: options.set });
        const { config } = loaded;
        const entries = Object.entries(config.plugins).filter(([, entry]) => entry.enabled && entry.version !== undefined && entry.module === undefined);
        const rows: OutdatedRow[] = [];
        if (entries.length > 0) {
          const requests = entries.map(([id, entry]) => ({ id, version: entry.version! }));
          const { root } = await registryOrigin(config, loaded.baseDir, requests, entries[0]![0]);
          const lockfilePath = lockfilePathOf(config, loaded.baseDir, loaded.file);
          const lock = lockfilePath === undefined ? undefined : await readLockfile(lockfilePath);
          for (const { id, version: range } of requests) {
            const latest = (await listVersions(root, id)).at(-1) ?? null;
            const row: OutdatedRow = { id, range, locked: lock?.plugins[id]?.version ?? null, wanted: null, latest };
            try {
              row.wanted = (await selectRelease(root, id, range, trustPolicyOf(config))).entry.version;
            } catch (error) {
              row.refusal = isLpxError(error) ? error.code : String(error);
            }
            rows.push(row);
          }
        }
        if (options.json) io.out(JSON.stringify(rows));
        else if (rows.length === 0) io.out('no registry plugins in this config');
        else io.out(table([['ID', 'RANGE', 'LOCKED', 'WANTED', 'LATEST'], ...rows.map((r) => [r.id, r.range, r.locked ?? '-', r.wanted ?? r.refusal ?? '-', r.latest ?? '-'])]));
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
