/**
 * The AI half of `coreServices.gateway`. A JSON request is a durable route
 * job on the `ai/<pipeline>` queue (one attempt: the router already tries
 * several orchestrators), answered with go-livepeer's JSON and the media
 * this gateway now serves. A streaming LLM request is routed in this
 * process instead: its events are relayed to the caller as they come, and
 * a stream cannot outlive the connection that reads it. Everything the
 * caller got wrong (unknown pipeline, bad body, bad price, tenant) is a
 * coded refusal before anything is queued or paid.
 */
import { randomUUID } from 'node:crypto';
import { aiCapabilityId, errors, type AIGatewayMedia, type AIGatewayModel, type AIGatewayRequest, type AIGatewayResult, type GatewayService } from '@lpx/sdk';
import type { BlobRef } from '../../blobs/index.js';
import type { JobsKernel } from '../../jobs/index.js';
import { aiInputFromBody, type AIJobOutput } from './ai-job.js';
import type { AIPipelineSource } from './ai-pipeline-source.js';
import { parseMaxPricePerUnit } from './ai-price.js';
import { aiPipelineOf, type AIRouteResult } from './ai-processor.js';
import { routeAI, type AIRouterDeps } from './ai-router.js';
import type { RouteJobData } from './route-job.js';

/** How long a cancelled job's abort stays findable for a router that has yet to take it. */
const CANCEL_MEMORY_MS = 60_000;

export interface AIServiceDeps {
  readonly pipelines: AIPipelineSource;
  readonly router: AIRouterDeps;
  readonly routes: Pick<JobsKernel, 'submitAndWait'>;
  ensureRouter(capabilityId: string): void;
  readonly failures: Map<string, unknown>;
  readonly cancels: Map<string, AbortController>;
  /** Refuses a tenant that is unknown, may not use the capability, or has spent its budget. */
  checkTenant?(tenant: string, capabilityId: string): Promise<void>;
  /** How long a caller waits for one request. */
  readonly waitMs: number;
  readMedia(ref: BlobRef): Promise<Buffer>;
  models(): AIGatewayModel[];
}

export type AIGatewayService = Pick<GatewayService, 'ai' | 'aiModels'>;

async function mediaOf(deps: AIServiceDeps, output: AIJobOutput): Promise<AIGatewayMedia[]> {
  return Promise.all(output.media.map(async (m) => ({ url: m.url, contentType: m.contentType, data: await deps.readMedia(m.blob) })));
}

/** The caller's signal ends the stream: the orchestrator's connection closes and nothing more is read. */
async function* relay(events: AsyncGenerator<Readonly<Record<string, unknown>>>, close: () => void, signal: AbortSignal | undefined): AsyncGenerator<Readonly<Record<string, unknown>>> {
  const onAbort = (): void => close();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const event of events) {
      if (signal?.aborted === true) return;
      yield event;
    }
  } catch (error) {
    // The caller hung up: the orchestrator's stream breaking off is what that asked for.
    if (signal?.aborted !== true) throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    close();
  }
}

export function createAIService(deps: AIServiceDeps): AIGatewayService {
  return {
    async ai(request: AIGatewayRequest): Promise<AIGatewayResult> {
      const pipeline = aiPipelineOf(deps.pipelines, aiCapabilityId(request.pipeline));
      const capabilityId = aiCapabilityId(pipeline.name);
      const validated = await pipeline.validate(request.body, deps.pipelines.limits);
      const maxPrice = parseMaxPricePerUnit(request.maxPricePerUnit);
      if (request.tenant !== undefined) await deps.checkTenant?.(request.tenant, capabilityId);
      if (request.signal?.aborted === true) throw errors.ai.CANCELLED.create(`the ${pipeline.name} request was cancelled before it was sent`);

      if (validated.stream) {
        const routed = await routeAI(deps.router, {
          requestId: randomUUID(),
          pipeline,
          request: validated,
          signal: request.signal ?? new AbortController().signal,
          ...(request.tenant !== undefined ? { tenant: request.tenant } : {}),
          ...(maxPrice !== undefined ? { maxPrice } : {}),
          ...(request.maxJobWei !== undefined ? { maxJobWei: BigInt(request.maxJobWei) } : {}),
        });
        const common = { orchestrator: routed.orchestrator, modelId: validated.modelId, attempts: routed.tried };
        if (routed.kind === 'json') return { kind: 'json', json: routed.output.json, media: await mediaOf(deps, routed.output), ...common };
        return { kind: 'stream', events: relay(routed.events, () => routed.close(), request.signal), ...common };
      }

      const data: RouteJobData = {
        capabilityId,
        input: aiInputFromBody(request.body),
        ...(request.tenant !== undefined ? { tenant: request.tenant } : {}),
        ...(request.maxPricePerUnit !== undefined ? { ai: { maxPricePerUnit: request.maxPricePerUnit } } : {}),
        ...(request.maxJobWei !== undefined ? { maxJobWei: request.maxJobWei } : {}),
      };
      const jobId = randomUUID();
      const cancel = new AbortController();
      deps.cancels.set(jobId, cancel);
      // The caller is answered at once; the router (here or waiting in the queue) stops at its next step.
      const cancelled = new Promise<never>((_, reject) =>
        cancel.signal.addEventListener('abort', () => reject(errors.ai.CANCELLED.create(`the ${pipeline.name} request was cancelled by the caller`)), { once: true }),
      );
      cancelled.catch(() => undefined);
      const onAbort = (): void => cancel.abort();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      deps.ensureRouter(capabilityId);
      try {
        const waiting = deps.routes.submitAndWait<RouteJobData, AIRouteResult>(capabilityId, data, { jobId, attempts: 1, timeoutMs: deps.waitMs });
        waiting.catch(() => undefined);
        const result = await Promise.race([waiting, cancelled]);
        return { kind: 'json', json: result.output.json, media: await mediaOf(deps, result.output), orchestrator: result.orchestrator, modelId: result.output.modelId, attempts: result.tried };
      } catch (error) {
        // BullMQ keeps only a failure's text; the router in this process kept the coded error.
        throw deps.failures.get(jobId) ?? error;
      } finally {
        deps.failures.delete(jobId);
        if (cancel.signal.aborted) setTimeout(() => deps.cancels.delete(jobId), CANCEL_MEMORY_MS).unref();
        else deps.cancels.delete(jobId);
        request.signal?.removeEventListener('abort', onAbort);
      }
    },
    async aiModels(): Promise<readonly AIGatewayModel[]> {
      return deps.models();
    },
  };
}
