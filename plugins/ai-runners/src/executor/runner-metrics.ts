import type { GaugeMetric, MetricsService } from '@lpx/sdk';
import type { ModelPlan } from '../config/model-plan.js';
import type { SlotPool } from '../slots/slot-pool.js';

type Labels = 'pipeline' | 'model_id';

const registered = new WeakMap<MetricsService, { inUse: GaugeMetric<Labels>; idle: GaugeMetric<Labels>; gpusIdle: GaugeMetric<Labels> }>();

/** go-livepeer's AI worker gauges (ai_container_in_use, ai_container_idle, ai_gpus_idle), per model. */
export class RunnerMetrics {
  readonly #inUse: GaugeMetric<Labels>;
  readonly #idle: GaugeMetric<Labels>;
  readonly #gpusIdle: GaugeMetric<Labels>;

  constructor(metrics: MetricsService) {
    // One set per metrics service: a second executor on the same plugin scope (tests, a restart in-process) reuses them.
    let gauges = registered.get(metrics);
    if (!gauges) {
      gauges = {
        inUse: metrics.gauge<Labels>({ name: 'ai_container_in_use', help: 'Managed runner containers lent to a request, starting or loading', labelNames: ['pipeline', 'model_id'] }),
        idle: metrics.gauge<Labels>({ name: 'ai_container_idle', help: 'Managed runner containers up and waiting for a request', labelNames: ['pipeline', 'model_id'] }),
        gpusIdle: metrics.gauge<Labels>({ name: 'ai_gpus_idle', help: 'GPU slots with no runner container (reported per model, as go-livepeer does)', labelNames: ['pipeline', 'model_id'] }),
      };
      registered.set(metrics, gauges);
    }
    this.#inUse = gauges.inUse;
    this.#idle = gauges.idle;
    this.#gpusIdle = gauges.gpusIdle;
  }

  update(plans: readonly ModelPlan[], pool: SlotPool): void {
    for (const plan of plans) {
      if (plan.managed === 0) continue;
      const labels = { pipeline: plan.pipeline, model_id: plan.modelId };
      const usage = pool.usage(plan.key);
      this.#inUse.set(labels, usage.inUse);
      this.#idle.set(labels, usage.idle);
      this.#gpusIdle.set(labels, usage.slotsIdle);
    }
  }
}
