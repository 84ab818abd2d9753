import type { ContainerCreateOptions } from 'dockerode';
import { CONTAINER_OWNER_LABEL, CONTAINER_PLUGIN_LABEL, CONTAINER_SPEC_LABEL, errors, type ContainerRuntimeContext, type ContainerSpec } from '@lpx/sdk';

export type CreateContext = ContainerRuntimeContext & { readonly pluginId: string; readonly specHash: string };

/** Docker's own rule for container names. */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const NS_PER_MS = 1_000_000;

/** Refuses what the engine would refuse less clearly, or accept and misbehave on (a negative limit, port 70000). */
export function validateSpec(spec: ContainerSpec): void {
  const bad = (why: string): never => {
    throw errors.containers.SPEC_INVALID.create(`container spec ${JSON.stringify(spec.name ?? '')}: ${why}`, { details: { name: spec.name } });
  };
  if (typeof spec.name !== 'string' || !NAME.test(spec.name) || spec.name.length > 128) bad('name must match [a-zA-Z0-9][a-zA-Z0-9_.-]* (at most 128 characters)');
  if (typeof spec.image !== 'string' || spec.image.trim() === '') bad('image is empty');
  for (const port of spec.ports ?? []) {
    if (!isPort(port.containerPort, 1)) bad(`containerPort ${port.containerPort} is not a port (1-65535)`);
    if (port.hostPort !== undefined && !isPort(port.hostPort, 0)) bad(`hostPort ${port.hostPort} is not a port (0-65535, 0 = any)`);
  }
  if (spec.memoryBytes !== undefined && (!Number.isSafeInteger(spec.memoryBytes) || spec.memoryBytes < 6 * 1024 * 1024)) bad(`memoryBytes ${spec.memoryBytes} is below the engine's minimum of 6 MiB`);
  if (spec.cpus !== undefined && !(Number.isFinite(spec.cpus) && spec.cpus > 0)) bad(`cpus ${spec.cpus} must be a positive number`);
  for (const bind of spec.binds ?? []) {
    if (!bind.hostPath.startsWith('/') || !bind.containerPath.startsWith('/')) bad(`bind ${bind.hostPath}:${bind.containerPath} needs absolute paths`);
  }
  for (const [key, value] of Object.entries(spec.env ?? {})) {
    if (key === '' || key.includes('=')) bad(`env name ${JSON.stringify(key)} is invalid`);
    if (typeof value !== 'string') bad(`env ${key} must be a string`);
  }
  const health = spec.health;
  if (health !== undefined) {
    if (health.test.length === 0) bad('health.test is empty');
    if (!(health.intervalMs >= 1 && health.timeoutMs >= 1 && health.retries >= 0)) bad('health interval/timeout must be at least 1 ms and retries not negative');
  }
  if (spec.restart?.maxRetries !== undefined && spec.restart.policy !== 'on-failure') bad('restart.maxRetries only applies to the on-failure policy');
}

function isPort(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min && value <= 65_535;
}

/**
 * The Engine API body for a spec: ports published on 127.0.0.1 unless asked
 * otherwise (an empty HostPort lets the engine pick), GPUs as an nvidia
 * device request, limits, binds, restart policy, health check, and the
 * ownership labels last so a spec cannot override them.
 */
export function createOptions(spec: ContainerSpec, context: CreateContext, network: string | undefined): ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of spec.ports ?? []) {
    const key = `${port.containerPort}/tcp`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: port.hostIp ?? '127.0.0.1', HostPort: port.hostPort ? String(port.hostPort) : '' });
  }
  const labels = { ...spec.labels, [CONTAINER_OWNER_LABEL]: context.ownerId, [CONTAINER_PLUGIN_LABEL]: context.pluginId, [CONTAINER_SPEC_LABEL]: context.specHash };
  const gpus = spec.gpus ?? [];
  return {
    name: spec.name,
    Image: spec.image,
    Labels: labels,
    ...(spec.env ? { Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`) } : {}),
    ...(spec.command ? { Cmd: [...spec.command] } : {}),
    ...(spec.ports?.length ? { ExposedPorts: exposed } : {}),
    ...(spec.health
      ? {
          Healthcheck: {
            Test: [...spec.health.test],
            Interval: spec.health.intervalMs * NS_PER_MS,
            Timeout: spec.health.timeoutMs * NS_PER_MS,
            Retries: spec.health.retries,
            ...(spec.health.startPeriodMs ? { StartPeriod: spec.health.startPeriodMs * NS_PER_MS } : {}),
          },
        }
      : {}),
    HostConfig: {
      ...(network ? { NetworkMode: network } : {}),
      ...(spec.ports?.length ? { PortBindings: bindings } : {}),
      // Swap limit equal to the memory limit: the limit is hard, no spill to swap.
      ...(spec.memoryBytes !== undefined ? { Memory: spec.memoryBytes, MemorySwap: spec.memoryBytes } : {}),
      ...(spec.cpus !== undefined ? { NanoCpus: Math.round(spec.cpus * 1e9) } : {}),
      ...(spec.binds?.length ? { Binds: spec.binds.map((b) => `${b.hostPath}:${b.containerPath}${b.readOnly ? ':ro' : ''}`) } : {}),
      ...(spec.restart ? { RestartPolicy: { Name: spec.restart.policy, ...(spec.restart.policy === 'on-failure' ? { MaximumRetryCount: spec.restart.maxRetries ?? 0 } : {}) } } : {}),
      // What `docker run --gpus device=0,1` sends: the NVIDIA container toolkit's device driver, these devices, the gpu capability.
      ...(gpus.length > 0 ? { DeviceRequests: [{ Driver: 'nvidia', Count: 0, DeviceIDs: [...gpus], Capabilities: [['gpu']], Options: {} }] } : {}),
    },
  };
}
