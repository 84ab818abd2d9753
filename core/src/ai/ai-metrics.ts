import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type AIOutcome = 'ok' | 'error' | 'cancelled' | 'no_capacity';

export interface AIMetrics {
  /** A request a worker ran (or refused), by pipeline, model, executor and outcome. */
  request(pipeline: string, model: string, executor: string, outcome: AIOutcome, seconds: number): void;
  /** The capacity a node advertises for a model (orchestrator: summed over live workers). */
  capacity(pipeline: string, model: string, capacity: number): void;
  /** Units the orchestrator debited for a pipeline and model. */
  charged(pipeline: string, model: string, units: bigint): void;
}

/** lpx_ai_*: per pipeline and model, so an operator sees what runs, what fails and what is sold. */
export function createAIMetrics(registry: Registry | undefined): AIMetrics {
  if (registry === undefined) return { request: () => {}, capacity: () => {}, charged: () => {} };
  const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;
  const requests =
    existing<Counter<'pipeline' | 'model' | 'executor' | 'outcome'>>('lpx_ai_requests_total') ??
    new Counter({ name: 'lpx_ai_requests_total', help: 'AI requests run by this worker, by pipeline, model, executor and outcome', labelNames: ['pipeline', 'model', 'executor', 'outcome'], registers: [registry] });
  const seconds =
    existing<Histogram<'pipeline' | 'model'>>('lpx_ai_request_seconds') ??
    new Histogram({ name: 'lpx_ai_request_seconds', help: 'Time a worker spent on one AI request (stream: until its end)', labelNames: ['pipeline', 'model'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120], registers: [registry] });
  const capacity =
    existing<Gauge<'pipeline' | 'model'>>('lpx_ai_model_capacity') ??
    new Gauge({ name: 'lpx_ai_model_capacity', help: 'Requests a model can run at once on this node (orchestrator: summed over live workers)', labelNames: ['pipeline', 'model'], registers: [registry] });
  const units =
    existing<Counter<'pipeline' | 'model'>>('lpx_ai_units_charged_total') ??
    new Counter({ name: 'lpx_ai_units_charged_total', help: 'Billing units the orchestrator debited for AI requests', labelNames: ['pipeline', 'model'], registers: [registry] });
  return {
    request(pipeline, model, executor, outcome, value) {
      requests.inc({ pipeline, model, executor, outcome });
      seconds.observe({ pipeline, model }, value);
    },
    capacity(pipeline, model, value) {
      capacity.set({ pipeline, model }, value);
    },
    charged(pipeline, model, value) {
      units.inc({ pipeline, model }, Number(value));
    },
  };
}
