import type { ContainerInfo, ContainersService, LoggerService } from '@lpx/sdk';
import type { RunnersConfig } from '../config/plugin-config.js';
import { modelKey, type ModelPlan } from '../config/model-plan.js';
import { endpointOf } from '../containers/start-runner.js';
import { LABELS, runnerSpec } from '../containers/runner-spec.js';
import { checkHealth, readVersion } from '../runner/runner-client.js';
import type { SlotPool } from '../slots/slot-pool.js';
import type { ManagedRunners } from './managed-runners.js';
import type { RunnerImages } from './runner-images.js';

export interface AdoptionResult {
  readonly adopted: number;
  readonly removed: number;
}

/**
 * A node that crashed or was killed leaves its runners behind. At start the
 * plugin lists its own containers (the kernel scopes `list` to this node
 * and plugin) and keeps a runner only if it is running, sits on a slot the
 * config still has, was made from exactly the spec the config would make
 * now (same image content, env, mounts, device), and answers /health.
 * Everything else is removed, so nothing leaks across restarts.
 */
export async function adoptOrRemove(o: {
  readonly containers: ContainersService;
  readonly pool: SlotPool;
  readonly plans: ReadonlyMap<string, ModelPlan>;
  readonly images: RunnerImages;
  readonly config: RunnersConfig;
  readonly nodeTag: string;
  readonly managed: ManagedRunners;
  readonly logger: LoggerService;
}): Promise<AdoptionResult> {
  const found = await o.containers.list();
  let adopted = 0;
  let removed = 0;
  for (const container of found) {
    const why = await tryAdopt(o, container);
    if (why === undefined) {
      adopted++;
      o.logger.info({ container: container.id, name: container.name }, `adopted runner ${container.name} left by a previous run`);
      continue;
    }
    o.logger.info({ container: container.id, name: container.name }, `removing runner ${container.name} left by a previous run: ${why}`);
    await o.containers.remove(container.id, { force: true }).catch((error: Error) => o.logger.error({ err: error, container: container.id }, `could not remove ${container.name}: ${error.message}`));
    removed++;
  }
  return { adopted, removed };
}

/** undefined when adopted, else why not. */
async function tryAdopt(o: Parameters<typeof adoptOrRemove>[0], container: ContainerInfo): Promise<string | undefined> {
  const labels = container.labels;
  if (container.state !== 'running') return `it is ${container.state}`;
  const pipeline = labels[LABELS.pipeline];
  const modelId = labels[LABELS.model];
  const slotId = labels[LABELS.slot];
  if (!pipeline || !modelId || !slotId) return 'it has no runner labels';
  const plan = o.plans.get(modelKey(pipeline, modelId));
  if (!plan || plan.managed === 0) return 'the config no longer runs this model in a container';
  const warm = labels[LABELS.warm] === 'true';
  if (warm && !plan.warm) return 'it was warm and the model is now cold';
  if (warm && o.pool.runners.filter((r) => r.modelKey === plan.key && r.warm).length >= plan.managed) return 'the model already has all its warm runners';
  const slot = o.pool.slots.find((s) => s.id === slotId);
  if (!slot) return `slot ${slotId} is not in the current config`;
  if (o.pool.runnerOn(slotId)) return `slot ${slotId} is taken`;
  const image = await o.images.present(plan.pipeline);
  if (!image) return 'its image is not the configured one';
  const expected = runnerSpec({ pipeline: plan.pipeline, modelId, slot, warm, image: image.ref, imageId: image.id, modelsDir: o.config.modelsDir, optimizationFlags: plan.optimizationFlags, verboseLogs: o.config.verboseLogs, nodeTag: o.nodeTag });
  if (expected.labels?.[LABELS.spec] !== labels[LABELS.spec] || expected.name !== container.name) return 'its spec differs from what the config makes now';
  const endpoint = endpointOf(container);
  if (!endpoint) return 'it publishes no runner port';
  const health = await checkHealth(endpoint, o.config.timeouts.healthMs);
  if (!health.ok) return `it does not answer: ${health.reason}`;
  if (health.status === 'ERROR') return 'it reports ERROR';
  const pooled = o.pool.adopt(slotId, plan.key, warm, warm && health.status === 'LOADING' ? 'loading' : 'idle');
  if (!pooled) return `slot ${slotId} is taken`;
  const version = await readVersion(endpoint, o.config.timeouts.healthMs);
  o.managed.adopt(pooled, plan, { containerId: container.id, name: container.name, endpoint, version });
  return undefined;
}
