/**
 * `lpx transcode probe`: loads the config's plugins the way `lpx start` does
 * (without any role, worker or HTTP edge), probes every transcode backend they
 * add and prints what each can do here — or why not. Exit code 0 when at least
 * one backend is available, 1 when none is (scripts can gate a deploy on it).
 */
import type { Command } from 'commander';
import type { TranscodeBackendStatus } from '@lpx/sdk';
import { Host } from '../../boot/host.js';
import { loadConfig } from '../../config/load-config.js';
import { probeBackend } from '../../transcode/backend-status.js';
import { reportError, table, type Io } from '../output.js';

export interface ProbedBackend extends TranscodeBackendStatus {
  readonly name: string;
}

export function addTranscodeCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const transcode = program.command('transcode').description('video transcoding on this node');
  transcode
    .command('probe')
    .description("probe the transcode backends the config's plugins add: availability, capacity, codecs, reason")
    .requiredOption('--config <file>', 'node config file')
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--timeout <ms>', 'per-backend probe timeout (default: transcode.probeTimeoutMs)')
    .option('--json', 'print JSON')
    .action(async (options: { config: string; set: string[]; timeout?: string; json?: boolean }) => {
      let host: Host | undefined;
      try {
        const loaded = loadConfig({ file: options.config, sets: options.set });
        // Plugins only: no role, no job worker, no HTTP edge — nothing is served while probing.
        const config = { ...loaded.config, node: { ...loaded.config.node, roles: [] }, http: { ...loaded.config.http, enabled: false }, log: { ...loaded.config.log, level: 'error' } };
        host = new Host({ config: { ...loaded, config } });
        await host.start();
        const timeoutMs = options.timeout !== undefined ? Number(options.timeout) : config.transcode.probeTimeoutMs;
        const backends = host.transcode.backends.list();
        const rows: ProbedBackend[] = await Promise.all(backends.map(async (backend) => ({ name: backend.name, ...(await probeBackend(backend, timeoutMs)) })));
        if (options.json) io.out(JSON.stringify({ ok: true, backends: rows }));
        else if (rows.length === 0) io.out('no transcode backends: no configured plugin adds one');
        else {
          io.out(
            table([
              ['BACKEND', 'AVAILABLE', 'CAPACITY', 'DECODE', 'ENCODE', 'FORMATS', 'REASON'],
              ...rows.map((r) => [r.name, r.available ? 'yes' : 'no', String(r.capacity), r.decode.join(',') || '-', r.encode.join(',') || '-', r.formats.join(',') || '-', r.reason ?? '-']),
            ]),
          );
        }
        setExit(rows.some((r) => r.available) ? 0 : 1);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      } finally {
        await host?.stop();
      }
    });
}
