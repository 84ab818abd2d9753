/**
 * Remote AI workers on the orchestrator: go-livepeer `-aiWorker` nodes
 * register over `net.AIWorker` with the orchestrator secret, and paid jobs
 * for the `ai/<pipeline>` capabilities listed in `orchestrator.remoteAI` go
 * to them instead of a BullMQ queue. Their per-model capacities are the
 * registry's (so OrchestratorInfo advertises them), their hardware is the
 * node's hardware info.
 */
import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { errors } from '@lpx/sdk';
import type { CapabilityRegistry } from '../../capabilities/index.js';
import type { GrpcEdge } from '../../grpc/grpc-edge.js';
import type { HardwareInformation } from '../../network/index.js';
import { createAIWorkerGrpcService, registerRemoteAIRoutes, RemoteAIWorkerPool, type AIResult } from '../../network/remote-ai/index.js';
import type { DispatchRequest, DispatchResult } from './worker-dispatch.js';

export interface RemoteAIWorkers {
  /** Whether jobs for this capability id go to remote workers. */
  serves(capabilityId: string): boolean;
  dispatch(request: DispatchRequest): Promise<DispatchResult>;
  hardware(): readonly HardwareInformation[];
  mount(app: FastifyInstance): void;
  close(): void;
}

export interface RemoteAIWorkersOptions {
  readonly secret: string;
  /** `ai/<pipeline>` → the models configured for it. */
  readonly served: ReadonlyMap<string, readonly string[]>;
  readonly capabilities: CapabilityRegistry;
  readonly grpc: GrpcEdge;
  readonly serviceUri: () => string;
  readonly logger: Logger;
}

function requestOf(request: DispatchRequest): { json: Record<string, unknown>; input?: { body: Uint8Array; contentType?: string } } {
  const type = request.contentType ?? 'application/json';
  if (!/json/i.test(type)) return { json: {}, input: { body: request.body, contentType: type } };
  const parsed = request.body.length === 0 ? {} : (JSON.parse(request.body.toString('utf8')) as unknown);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw errors.aiWorker.REQUEST_INVALID.create('an AI job body must be a JSON object (the pipeline request)');
  }
  return { json: parsed as Record<string, unknown> };
}

function modelFor(json: Record<string, unknown>, models: readonly string[], capabilityId: string): string {
  const named = typeof json.model_id === 'string' ? json.model_id : typeof json.model === 'string' ? json.model : undefined;
  if (named === undefined && models.length === 1) return models[0]!;
  if (named !== undefined && models.includes(named)) return named;
  throw errors.aiWorker.MODEL_NOT_SERVED.create(
    named === undefined ? `${capabilityId} needs a model_id, one of ${models.join(', ')}` : `${capabilityId} does not serve model "${named}" here (served: ${models.join(', ')})`,
    { details: { capabilityId, model: named, served: [...models] } },
  );
}

/** A streamed (LLM) result is collected: the paid job transport is request/response. */
async function bodyOf(result: AIResult): Promise<unknown> {
  if (result.kind === 'json') return result.json;
  const chunks: unknown[] = [];
  for await (const chunk of result.chunks) chunks.push(chunk);
  return { stream: chunks };
}

export function startRemoteAIWorkers(options: RemoteAIWorkersOptions): RemoteAIWorkers {
  const logger = options.logger.child({ component: 'remote-ai-workers' });
  const pool = new RemoteAIWorkerPool({
    secret: options.secret,
    serviceUri: options.serviceUri,
    onEvent: (event) => logger.info({ event }, 'remote AI worker'),
  });
  pool.onCapacityChange((pipeline, model, total) => {
    const id = `ai/${pipeline}`;
    if (!options.served.get(id)?.includes(model)) {
      logger.warn({ pipeline, model }, 'a remote AI worker offers a model orchestrator.remoteAI does not list; it is not advertised');
      return;
    }
    const models = options.capabilities.setCapacity(id, total, model).constraints.models ?? {};
    // The capability's own capacity is what admission reserves from: the sum over its models.
    options.capabilities.setCapacity(id, Object.values(models).reduce((sum, m) => sum + (m.capacity ?? 0), 0));
  });
  const service = createAIWorkerGrpcService(pool);
  options.grpc.facadeFor('kernel.remote-ai-workers').addService(service.definition, service.implementation);

  return {
    serves: (capabilityId) => options.served.has(capabilityId),
    async dispatch(request) {
      const models = options.served.get(request.capabilityId) ?? [];
      const { json, input } = requestOf(request);
      const modelId = modelFor(json, models, request.capabilityId);
      const result = await pool.dispatch({
        requestId: request.requestId,
        pipeline: request.capabilityId.slice('ai/'.length),
        modelId,
        request: json,
        ...(input !== undefined ? { input } : {}),
        timeoutMs: request.timeoutMs,
      });
      return { contentType: 'application/json', body: JSON.stringify(await bodyOf(result)) };
    },
    hardware: () => pool.hardware(),
    mount: (app) => registerRemoteAIRoutes(app, { pool }),
    close: () => pool.close(),
  };
}
