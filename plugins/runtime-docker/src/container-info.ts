import type { ContainerInspectInfo } from 'dockerode';
import type { ContainerInfo, ContainerState } from '@lpx/sdk';

const STATES: ReadonlySet<string> = new Set(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);
const HEALTH: ReadonlySet<string> = new Set(['starting', 'healthy', 'unhealthy']);

type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null | undefined>;

/**
 * The engine's inspect answer as ContainerInfo. Ports come from the live
 * bindings when the container runs (the host port the engine picked), else
 * from what was asked (0 where the engine will pick).
 */
export function toContainerInfo(inspect: ContainerInspectInfo): ContainerInfo {
  const state = inspect.State;
  const status = STATES.has(state.Status) ? (state.Status as ContainerState) : 'dead';
  const healthStatus = state.Health?.Status;
  const live = (inspect.NetworkSettings?.Ports ?? {}) as PortMap;
  const asked = (inspect.HostConfig?.PortBindings ?? {}) as PortMap;
  const source = Object.values(live).some((b) => b !== null && b !== undefined && b.length > 0) ? live : asked;
  const ports: { containerPort: number; hostIp: string; hostPort: number }[] = [];
  for (const [key, binds] of Object.entries(source)) {
    const containerPort = Number.parseInt(key, 10);
    for (const bind of binds ?? []) ports.push({ containerPort, hostIp: bind.HostIp || '0.0.0.0', hostPort: Number.parseInt(bind.HostPort, 10) || 0 });
  }
  ports.sort((a, b) => a.containerPort - b.containerPort || a.hostIp.localeCompare(b.hostIp));
  return {
    id: inspect.Id,
    name: inspect.Name.replace(/^\//, ''),
    image: inspect.Config.Image,
    state: status,
    ...(status === 'exited' || status === 'dead' ? { exitCode: state.ExitCode } : {}),
    health: healthStatus !== undefined && HEALTH.has(healthStatus) ? (healthStatus as ContainerInfo['health']) : 'none',
    ports,
    labels: { ...(inspect.Config.Labels ?? {}) },
    createdAt: Date.parse(inspect.Created),
  };
}

/**
 * Splits the engine's multiplexed log stream (8-byte frame headers: stream
 * type, then a big-endian length) into text, oldest first. Containers with a
 * TTY send raw bytes; those are passed through.
 */
export function demultiplexLogs(buffer: Buffer): string {
  const framed = buffer.length >= 8 && buffer[0]! <= 2 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0;
  if (!framed) return buffer.toString('utf8');
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, Math.min(buffer.length, offset + 8 + size)));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
