/**
 * The live workers' offers as the orchestrator advertises them: one model
 * constraint per (pipeline, model) with the summed capacity, warm, runner
 * version and price, and the capability's capacity = the sum over its
 * models (what admission reserves from, as go-livepeer's CheckAICapacity).
 */
import type { ModelConstraint } from '@lpx/sdk';
import type { CapabilityRegistry } from '../capabilities/index.js';
import type { AIMetrics } from './ai-metrics.js';
import type { ModelSummary } from './model-offers.js';

export function advertiseModels(registry: CapabilityRegistry, capabilityIds: readonly string[], summaries: readonly ModelSummary[], metrics?: AIMetrics): void {
  for (const id of capabilityIds) {
    const pipeline = id.slice('ai/'.length);
    const models: Record<string, ModelConstraint> = {};
    let capacity = 0;
    for (const summary of summaries) {
      if (summary.pipeline !== pipeline) continue;
      models[summary.modelId] = {
        warm: summary.warm,
        capacity: summary.capacity,
        ...(summary.runnerVersion !== undefined ? { runnerVersion: summary.runnerVersion } : {}),
        ...(summary.price !== undefined ? { price: summary.price } : {}),
      };
      capacity += summary.capacity;
    }
    const current = registry.get(id);
    if (current === undefined) continue;
    for (const [modelId] of Object.entries(current.constraints.models ?? {})) if (!(modelId in models)) metrics?.capacity(pipeline, modelId, 0);
    for (const [modelId, model] of Object.entries(models)) metrics?.capacity(pipeline, modelId, model.capacity ?? 0);
    if (current.capacity === capacity && JSON.stringify(current.constraints.models ?? {}) === JSON.stringify(models)) continue;
    registry.setModels(id, models, capacity);
  }
}
