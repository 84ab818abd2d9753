import { setTimeout as sleep } from 'node:timers/promises';
import { containerDeathReason, createContainerFresh, errors, publishedUrl, removeContainerByName, type AIRunnerEndpoint, type ContainerInfo, type ContainerSpec, type ContainersService } from '@lpx/sdk';
import type { RunnerTimeouts } from '../config/plugin-config.js';
import { readHardwareInfo, readVersion, type RunnerVersion } from '../runner/runner-client.js';
import { waitUntilReady } from '../runner/wait-ready.js';
import { RUNNER_PORT } from './runner-spec.js';

/** A managed runner that is up and answering /health. */
export interface StartedRunner {
  readonly containerId: string;
  readonly name: string;
  readonly endpoint: AIRunnerEndpoint;
  /** LOADING: a warm runner stays out of the pool until it says IDLE. */
  readonly loading: boolean;
  readonly version: RunnerVersion;
  readonly hardware?: Record<string, unknown>;
}

/** The engine-picked host port for 8000/tcp (read again after a restart: the engine may pick another). */
export function endpointOf(info: ContainerInfo): AIRunnerEndpoint | undefined {
  const baseUrl = publishedUrl(info, RUNNER_PORT);
  return baseUrl === undefined ? undefined : { baseUrl };
}

/**
 * go-livepeer's createContainer: create, start, wait until running (fail
 * fast on exited/dead), then until /health is not ERROR, then read
 * /hardware/info and /version. Anything that fails removes the container:
 * nothing half-started is left behind.
 */
export async function startRunner(containers: ContainersService, spec: ContainerSpec, options: { readonly timeouts: RunnerTimeouts; readonly startTimeoutMs: number; readonly signal?: AbortSignal; readonly acceptLoading?: boolean }): Promise<StartedRunner> {
  const { timeouts, signal } = options;
  let created: ContainerInfo | undefined;
  try {
    // Our names are per node, model and slot, and a slot holds one runner: a container under the name is a leftover.
    created = await createContainerFresh(containers, spec);
    let info = await containers.start(created.id);
    const deadline = Date.now() + options.startTimeoutMs;
    while (info.state !== 'running') {
      const dead = await containerDeathReason(containers, created.id);
      if (dead) throw errors.ai.RUNNER_UNAVAILABLE.create(`runner ${spec.name} did not start: ${dead}`);
      if (Date.now() > deadline) throw errors.ai.RUNNER_UNAVAILABLE.create(`runner ${spec.name} not running within ${options.startTimeoutMs} ms (state ${info.state})`);
      if (signal?.aborted) throw errors.ai.CANCELLED.create(`runner ${spec.name}: start cancelled`);
      await sleep(timeouts.pollMs);
      info = (await containers.inspect(created.id)) ?? info;
    }
    const endpoint = endpointOf(info);
    if (!endpoint) throw errors.ai.RUNNER_UNAVAILABLE.create(`runner ${spec.name}: the engine published no host port for ${RUNNER_PORT}/tcp`);
    const id = created.id;
    const ready = await waitUntilReady(endpoint, {
      timeoutMs: Math.max(0, deadline - Date.now()) || timeouts.pollMs,
      pollMs: timeouts.pollMs,
      healthMs: timeouts.healthMs,
      ...(signal ? { signal } : {}),
      stillAlive: () => containerDeathReason(containers, id),
      acceptLoading: options.acceptLoading ?? true,
    });
    if (!ready.ready) throw (signal?.aborted ? errors.ai.CANCELLED : errors.ai.RUNNER_UNAVAILABLE).create(`runner ${spec.name} never became healthy: ${ready.reason}`);
    const [hardware, version] = await Promise.all([readHardwareInfo(endpoint, timeouts.healthMs), readVersion(endpoint, timeouts.healthMs)]);
    return { containerId: id, name: spec.name, endpoint, loading: ready.status === 'LOADING', version, ...(hardware ? { hardware } : {}) };
  } catch (error) {
    // Without an id the create may still have happened on an engine that answered too late: look it up by name.
    if (created) await containers.remove(created.id, { force: true }).catch(() => undefined);
    else await removeContainerByName(containers, spec.name).catch(() => undefined);
    throw errors.ai.RUNNER_UNAVAILABLE.is(error) || errors.ai.CANCELLED.is(error)
      ? error
      : errors.ai.RUNNER_UNAVAILABLE.create(`runner ${spec.name} could not start: ${(error as Error).message}`, { cause: error });
  }
}

/** go-livepeer's dockerRemoveContainer: stop with the grace period, then remove; a missing container is fine. */
export async function destroyRunner(containers: ContainersService, containerId: string, stopMs: number): Promise<void> {
  await containers.stop(containerId, { timeoutMs: stopMs }).catch(() => undefined);
  await containers.remove(containerId, { force: true });
}
