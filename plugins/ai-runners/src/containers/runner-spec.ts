import { createHash } from 'node:crypto';
import type { AIPipelineName, ContainerSpec } from '@lpx/sdk';
import type { Slot } from '../slots/slot-plan.js';

/** The port ai-runner listens on inside its container. */
export const RUNNER_PORT = 8000;
export const MODELS_MOUNT = '/models';

/** Labels this plugin reads back when it finds containers at start. */
export const LABELS = {
  slot: 'io.lpx.ai-runners.slot',
  pipeline: 'io.lpx.ai-runners.pipeline',
  model: 'io.lpx.ai-runners.model',
  warm: 'io.lpx.ai-runners.warm',
  /** Our own hash of what makes a runner (image content, env, mounts, device): the kernel's spec label hashes the whole spec, name included. */
  spec: 'io.lpx.ai-runners.spec',
} as const;

export interface RunnerSpecInput {
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  readonly slot: Slot;
  readonly warm: boolean;
  readonly image: string;
  /** Image content id: a rebuilt image under the same tag makes old containers stale. */
  readonly imageId: string;
  readonly modelsDir: string;
  readonly optimizationFlags: Readonly<Record<string, string>>;
  readonly verboseLogs: boolean;
  /** Short, stable per node: keeps names unique when nodes share an engine. */
  readonly nodeTag: string;
}

/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; go-livepeer maps `/` and `_` in model ids to `-`. */
export function runnerName(nodeTag: string, pipeline: string, modelId: string, slotId: string): string {
  const model = modelId.replace(/[^a-zA-Z0-9.-]/g, '-');
  return `lpx-${nodeTag}-${pipeline}_${model}_${slotId}`;
}

export function nodeTagFor(dataDir: string): string {
  return createHash('sha256').update(dataDir).digest('hex').slice(0, 10);
}

/**
 * go-livepeer's runner container: env PIPELINE / MODEL_ID (+ optimization
 * flags for warm runners, VERBOSE_LOGGING), the models dir at /models, port
 * 8000 published on 127.0.0.1, one GPU per slot, restart on failure up to 3
 * times, creator labels. The host port is left to the engine (ADR 0030).
 */
export function runnerSpec(input: RunnerSpecInput): ContainerSpec {
  const env: Record<string, string> = { PIPELINE: input.pipeline, MODEL_ID: input.modelId };
  // go-livepeer applies optimization flags to warm containers only (a cold start must stay quick).
  if (input.warm) Object.assign(env, input.optimizationFlags);
  if (input.verboseLogs) env.VERBOSE_LOGGING = '1';
  const essentials = {
    imageId: input.imageId,
    env: Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b))),
    modelsDir: input.modelsDir,
    device: input.slot.device ?? null,
    warm: input.warm,
  };
  const specHash = createHash('sha256').update(JSON.stringify(essentials)).digest('hex').slice(0, 32);
  return {
    name: runnerName(input.nodeTag, input.pipeline, input.modelId, input.slot.id),
    image: input.image,
    env,
    ports: [{ containerPort: RUNNER_PORT, hostIp: '127.0.0.1' }],
    ...(input.slot.device !== undefined ? { gpus: [input.slot.device] } : {}),
    binds: [{ hostPath: input.modelsDir, containerPath: MODELS_MOUNT }],
    labels: {
      creator: 'ai-worker',
      creator_id: `lpx-${input.nodeTag}`,
      [LABELS.slot]: input.slot.id,
      [LABELS.pipeline]: input.pipeline,
      [LABELS.model]: input.modelId,
      [LABELS.warm]: String(input.warm),
      [LABELS.spec]: specHash,
    },
    restart: { policy: 'on-failure', maxRetries: 3 },
  };
}
