import type { AIModelOffer } from '@lpx/sdk';
import type { ModelPlan } from '../config/model-plan.js';
import type { SlotPool } from '../slots/slot-pool.js';

export interface OfferInputs {
  readonly plans: readonly ModelPlan[];
  readonly pool: SlotPool;
  /** Whether managed runners for the pipeline can start (image present, runtime up). */
  readonly canStart: (plan: ModelPlan) => boolean;
  /** Healthy external capacity for the model. */
  readonly externalCapacity: (plan: ModelPlan) => number;
  /** Versions of the model's runners that answered /version. */
  readonly versions: (plan: ModelPlan) => readonly string[];
}

/** Lowest semver-ish version, as go-livepeer advertises the lowest of its runners'. */
export function lowestVersion(versions: readonly string[]): string | undefined {
  const parse = (v: string): number[] => v.replace(/^v/, '').split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  return [...versions].sort((a, b) => {
    const pa = parse(a);
    const pb = parse(b);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  })[0];
}

/**
 * What the executor can run at once per (pipeline, model). The kernel counts
 * requests in flight against it, so capacity does not shrink while runners
 * are lent. A warm model offers its runners that are up (0 while they
 * load); a cold one the slots it could get (free or holding an evictable
 * runner), at most its configured capacity and only with its image present;
 * external runners add their configured capacity while they answer.
 */
export function computeOffers(inputs: OfferInputs): AIModelOffer[] {
  return inputs.plans.map((plan) => {
    let managed = 0;
    if (plan.managed > 0) {
      managed = plan.warm
        ? inputs.pool.runners.filter((r) => r.modelKey === plan.key && (r.state === 'idle' || r.state === 'borrowed')).length
        : inputs.canStart(plan)
          ? Math.min(plan.managed, inputs.pool.unpinnedSlots())
          : 0;
    }
    const runnerVersion = lowestVersion(inputs.versions(plan));
    return {
      pipeline: plan.pipeline,
      modelId: plan.modelId,
      capacity: managed + inputs.externalCapacity(plan),
      warm: plan.warm,
      ...(plan.price ? { price: plan.price } : {}),
      ...(runnerVersion !== undefined ? { runnerVersion } : {}),
    };
  });
}
