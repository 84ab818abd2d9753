/**
 * `lpx containers list`: loads the config's plugins the way `lpx start` does
 * (no role, worker or HTTP edge), waits for the container runtime's probe and
 * prints every container this node owns — any plugin's, any state. With the
 * runtime's own dockerd running for a live node, the command only borrows it.
 * Exit code 0 when the runtime answered, 1 when it is unavailable.
 */
import type { Command } from 'commander';
import { CONTAINER_PLUGIN_LABEL, CONTAINER_SPEC_LABEL, type ContainerInfo } from '@lpx/sdk';
import { Host } from '../../boot/host.js';
import { loadConfig } from '../../config/load-config.js';
import { reportError, table, type Io } from '../output.js';

export function addContainersCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  const containers = program.command('containers').description("containers this node's plugins run (the container runtime)");
  containers
    .command('list')
    .description('list the containers this node owns: plugin, state, health, published ports')
    .requiredOption('--config <file>', 'node config file')
    .option('--set <path=value...>', 'override a setting (repeatable)', [])
    .option('--json', 'print JSON')
    .action(async (options: { config: string; set: string[]; json?: boolean }) => {
      let host: Host | undefined;
      try {
        const loaded = loadConfig({ file: options.config, sets: options.set });
        const config = { ...loaded.config, node: { ...loaded.config.node, roles: [] }, http: { ...loaded.config.http, enabled: false }, log: { ...loaded.config.log, level: 'error' } };
        host = new Host({ config: { ...loaded, config } });
        await host.start();
        const kernel = host.containers;
        const status = await kernel.status();
        const runtime = status.available ? kernel.runtime : undefined;
        if (runtime === undefined) {
          if (options.json) io.out(JSON.stringify({ ok: false, ownerId: kernel.ownerId, runtime: status }));
          else io.err(`container runtime${status.runtime ? ` ${status.runtime}` : ''} unavailable: ${status.reason ?? 'no reason given'}`);
          setExit(1);
          return;
        }
        const rows = await runtime.list({ ownerId: kernel.ownerId });
        if (options.json) io.out(JSON.stringify({ ok: true, ownerId: kernel.ownerId, runtime: status, containers: rows }));
        else if (rows.length === 0) io.out(`no containers (owner ${kernel.ownerId}, runtime ${status.runtime} at ${status.endpoint ?? 'unknown'})`);
        else io.out(table([['NAME', 'PLUGIN', 'STATE', 'HEALTH', 'PORTS', 'IMAGE', 'ID', 'SPEC'], ...rows.map(row)]));
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      } finally {
        await host?.stop();
      }
    });
}

function row(info: ContainerInfo): string[] {
  const state = info.exitCode !== undefined ? `${info.state} (${info.exitCode})` : info.state;
  const ports = info.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}`).join(',') || '-';
  return [info.name, info.labels[CONTAINER_PLUGIN_LABEL] ?? '-', state, info.health, ports, info.image, info.id.slice(0, 12), (info.labels[CONTAINER_SPEC_LABEL] ?? '-').slice(0, 12)];
}
