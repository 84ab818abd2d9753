/**
 * Which (pipeline, model) pairs a remote AI worker serves and how many jobs
 * of each it takes at once. go-livepeer reads this from the worker's
 * capability constraints (PerCapability[AI id].models[model].capacity); the
 * bitstring alone says nothing about models, so a worker without constraints
 * (including a legacy one that sent no capabilities) is never chosen.
 */
import { AI_PIPELINE_LIVEPEER_CAPABILITY, type AIPipelineName } from '@lpx/sdk';
import type { RegisterAIWorkerRequest } from '../wire/ai-worker-messages.js';

export interface WorkerModel {
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  readonly capacity: number;
  readonly warm: boolean;
  readonly runnerVersion: string;
}

const PIPELINE_BY_CAPABILITY = new Map<number, AIPipelineName>(
  Object.entries(AI_PIPELINE_LIVEPEER_CAPABILITY).map(([pipeline, id]) => [id, pipeline as AIPipelineName]),
);

/** One map key per (pipeline, model); NUL cannot occur in either. */
export function modelKey(pipeline: string, modelId: string): string {
  return `${pipeline}\u0000${modelId}`;
}

/** Models of the batch pipelines this node knows; other capability ids (live video, BYOC) are not ours to serve. */
export function workerModelsFrom(caps: RegisterAIWorkerRequest['capabilities']): WorkerModel[] {
  const out: WorkerModel[] = [];
  if (caps === undefined) return out;
  for (const [id, models] of caps.perCapability) {
    const pipeline = PIPELINE_BY_CAPABILITY.get(id);
    if (pipeline === undefined) continue;
    for (const [modelId, model] of models) {
      if (modelId === '' || model.capacity <= 0) continue;
      out.push({ pipeline, modelId, capacity: model.capacity, warm: model.warm, runnerVersion: model.runnerVersion });
    }
  }
  return out;
}
