/**
 * Which (pipeline, model) pairs a remote AI worker serves and how many jobs
 * of each it takes at once. go-livepeer reads this from the worker's
 * capability constraints (PerCapability[AI id].models[model].capacity); the
 * bitstring alone says nothing about models, so a worker without constraints
 * (including a legacy one that sent no capabilities) is never chosen for a job.
 */
import { AI_CAPABILITY_IDS, livepeerCapabilityToPipeline, type LivepeerCapabilities } from '../../capabilities/index.js';

export interface WorkerModel {
  readonly pipeline: string;
  readonly modelId: string;
  readonly capacity: number;
}

/** One map key per (pipeline, model); NUL cannot occur in either. */
export function modelKey(pipeline: string, modelId: string): string {
  return `${pipeline}\u0000${modelId}`;
}

export function workerModelsFrom(caps: LivepeerCapabilities | undefined): WorkerModel[] {
  const out: WorkerModel[] = [];
  if (caps === undefined) return out;
  for (const [rawId, constraints] of Object.entries(caps.constraints.perCapability)) {
    const id = Number(rawId);
    if (!AI_CAPABILITY_IDS.includes(id)) continue;
    const pipeline = livepeerCapabilityToPipeline(id);
    if (pipeline === undefined) continue;
    for (const [modelId, model] of Object.entries(constraints.models)) {
      if (modelId === '') continue;
      out.push({ pipeline, modelId, capacity: model.capacity });
    }
  }
  return out;
}
