import type { ContainerInfo, ContainerSpec } from '../extension-points/container-runtimes.js';
import { errors } from '../errors/catalogue.js';
import type { ContainersService } from '../services/containers.js';

/**
 * What every plugin that runs long-lived containers through
 * `coreServices.containers` needs (ai-runners, byoc-host): create under a
 * name that may hold a leftover, find why a container died, read back the
 * host URL of a published port.
 */

const TERMINAL = new Set(['exited', 'dead', 'removing']);

/**
 * Why a container will never answer (gone, exited, dead) with its last log
 * lines, or undefined while it may still come up.
 */
export async function containerDeathReason(containers: ContainersService, id: string, tail = 20): Promise<string | undefined> {
  const info = await containers.inspect(id).catch(() => undefined);
  if (!info) return 'the container is gone';
  if (!TERMINAL.has(info.state)) return undefined;
  const logs = await containers.logs(id, { tail }).catch(() => '');
  return `the container ${info.state} (exit code ${info.exitCode ?? '?'})${logs.trim() ? `; last log lines:\n${logs.trim()}` : ''}`;
}

/** `list` is scoped to this node and plugin: only the caller's own containers can match. */
export async function removeContainerByName(containers: ContainersService, name: string): Promise<void> {
  const leftovers = (await containers.list()).filter((c) => c.name === name);
  for (const leftover of leftovers) await containers.remove(leftover.id, { force: true });
}

/**
 * Creates the container; a container already under the name is a leftover of
 * a failed start (a create or remove the engine finished after the caller
 * gave up on it), so it is removed and the create tried once more. Names must
 * be per node and slot for this to be safe.
 */
export async function createContainerFresh(containers: ContainersService, spec: ContainerSpec): Promise<ContainerInfo> {
  try {
    return await containers.create(spec);
  } catch (error) {
    if (!errors.containers.NAME_IN_USE.is(error)) throw error;
    await removeContainerByName(containers, spec.name);
    return containers.create(spec);
  }
}

/** `http://host:port` of a published container port (loopback for an any-address binding), once the engine picked the host port. */
export function publishedUrl(info: ContainerInfo, containerPort: number): string | undefined {
  const port = info.ports.find((p) => p.containerPort === containerPort && p.hostPort > 0);
  return port ? `http://${port.hostIp === '0.0.0.0' || port.hostIp === '' ? '127.0.0.1' : port.hostIp}:${port.hostPort}` : undefined;
}
