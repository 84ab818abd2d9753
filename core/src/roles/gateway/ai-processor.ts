/**
 * The router worker's processor for `ai/<pipeline>` route jobs, whoever
 * queued them (coreServices.gateway.ai, the gateway's go-livepeer routes,
 * `POST /v1/jobs/ai/<pipeline>`): the input is validated again by the
 * pipeline (it may come from any client), then routed (ai-router.ts). A
 * request the caller got wrong fails for good — retrying it later would
 * only fail again — and its coded error is kept for a caller in this process.
 */
import type { JobContext } from '@lpx/sdk';
import { errors, isAIPipelineName, isLpxError } from '@lpx/sdk';
import { UnrecoverableError } from 'bullmq';
import { aiBodyFromInput, type AIJobOutput } from './ai-job.js';
import type { AIPipelineSource } from './ai-pipeline-source.js';
import { parseMaxPricePerUnit } from './ai-price.js';
import { routeAI, type AIRouterDeps } from './ai-router.js';
import type { RouteJobData } from './route-job.js';

export interface AIProcessorDeps {
  readonly pipelines: AIPipelineSource;
  readonly router: AIRouterDeps;
  /** The coded reason a job failed, for a caller in this process (BullMQ keeps only text). */
  readonly failures: Map<string, unknown>;
  /** Aborts a running job from this process (the caller went away). */
  readonly cancels: Map<string, AbortController>;
  /** Called per failed job (metrics). */
  readonly onFailed?: (error: unknown) => void;
}

export interface AIRouteResult {
  readonly output: AIJobOutput;
  readonly orchestrator: string;
  readonly tried: number;
}

const MAX_REMEMBERED_FAILURES = 1_000;

function remember(failures: Map<string, unknown>, jobId: string, error: unknown): void {
  failures.set(jobId, error);
  for (const oldest of failures.keys()) {
    if (failures.size <= MAX_REMEMBERED_FAILURES) break;
    failures.delete(oldest);
  }
}

export function aiPipelineOf(pipelines: AIPipelineSource, capabilityId: string) {
  const name = capabilityId.startsWith('ai/') ? capabilityId.slice('ai/'.length) : '';
  const pipeline = isAIPipelineName(name) ? pipelines.get(name) : undefined;
  if (pipeline === undefined) throw errors.ai.PIPELINE_UNKNOWN.create(`this gateway has no AI pipeline ${JSON.stringify(name || capabilityId)} (no pipeline plugin loaded for it)`);
  return pipeline;
}

export function aiRouterProcessor(deps: AIProcessorDeps) {
  return async (job: JobContext<RouteJobData>): Promise<AIRouteResult> => {
    const local = deps.cancels.get(job.id);
    const signal = local === undefined ? job.signal : AbortSignal.any([job.signal, local.signal]);
    try {
      const pipeline = aiPipelineOf(deps.pipelines, job.data.capabilityId);
      const request = await pipeline.validate(aiBodyFromInput(pipeline, job.data.input), deps.pipelines.limits);
      const maxPrice = parseMaxPricePerUnit(job.data.ai?.maxPricePerUnit);
      const routed = await routeAI(deps.router, {
        requestId: job.id,
        pipeline,
        request,
        signal,
        ...(job.data.tenant !== undefined ? { tenant: job.data.tenant } : {}),
        ...(maxPrice !== undefined ? { maxPrice } : {}),
        ...(job.data.maxJobWei !== undefined ? { maxJobWei: BigInt(job.data.maxJobWei) } : {}),
      });
      if (routed.kind === 'json') return { output: routed.output, orchestrator: routed.orchestrator, tried: routed.tried };
      // A stream has nobody to relay to in a queued job: its events become the result.
      const events: Readonly<Record<string, unknown>>[] = [];
      try {
        for await (const event of routed.events) events.push(event);
      } finally {
        routed.close();
      }
      return { output: { json: events.at(-1) ?? null, media: [], modelId: request.modelId, events }, orchestrator: routed.orchestrator, tried: routed.tried };
    } catch (error) {
      remember(deps.failures, job.id, error);
      deps.onFailed?.(error);
      // A spent budget may be refilled by the next period: that one stays retryable.
      const coded = isLpxError(error) ? error : undefined;
      if (coded !== undefined && coded.status >= 400 && coded.status < 500 && coded.code !== errors.gateway.BUDGET_EXHAUSTED.code) {
        throw new UnrecoverableError(`${coded.code}: ${coded.message}`);
      }
      throw error;
    }
  };
}
