/**
 * The `remote-workers` AI executor: go-livepeer `-aiWorker` nodes registered
 * with this orchestrator run the requests. offers() is the registered
 * workers' per-model capacities summed per (pipeline, model) — limited to,
 * and priced by, the plugin's `models` list when the operator gives one —
 * and watch() reports every join and departure. execute() stores the binary
 * input for the worker to download, sends NotifyAIJob down a worker's stream
 * (the pool's go-livepeer rules pick it) and turns its /aiResults post into
 * an AIPipelineResult.
 */
import { errors, type AIExecution, type AIExecutor, type AIModelOffer, type AIPipelineName, type AIPipelineResult } from '@lpx/sdk';
import type { InputStore } from './http/input-store.js';
import { encodeRequestData, workerJob } from './job-request.js';
import { toExecutorError } from './executor-errors.js';
import type { RemoteAIWorkerPool } from './pool/remote-ai-pool.js';
import { modelKey, type WorkerModel } from './pool/worker-models.js';
import type { WorkerHardware } from './wire/ai-worker-messages.js';
import { toPipelineResult } from './worker-result.js';

export const REMOTE_WORKERS_EXECUTOR = 'remote-workers';

/** One entry of the plugin's `models` list. */
export interface ServedModel {
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  /** Wei per unit, decimal string. */
  readonly pricePerUnit?: string;
  readonly pixelsPerUnit?: string;
}

export interface RemoteExecutorOptions {
  readonly pool: RemoteAIWorkerPool;
  readonly inputs: InputStore;
  /** The front door's base URL once it listens (input_url points there). */
  readonly serviceUri: () => string | undefined;
  /** Only these are offered (and at these prices); undefined: whatever workers register, unpriced. */
  readonly models?: readonly ServedModel[];
  /** A worker registered a model the `models` list does not allow (once per model). */
  readonly onUnlisted?: (model: WorkerModel) => void;
}

export class RemoteWorkersExecutor implements AIExecutor {
  readonly name = REMOTE_WORKERS_EXECUTOR;
  private readonly allowed: ReadonlyMap<string, ServedModel> | undefined;
  private readonly warned = new Set<string>();

  constructor(private readonly options: RemoteExecutorOptions) {
    this.allowed = options.models === undefined ? undefined : new Map(options.models.map((m) => [modelKey(m.pipeline, m.modelId), m]));
    if (this.allowed !== undefined) options.pool.onChange(() => this.warnUnlisted());
  }

  offers(): readonly AIModelOffer[] {
    const registered = this.options.pool.models();
    const offer = (model: WorkerModel | undefined, pipeline: AIPipelineName, modelId: string, served?: ServedModel): AIModelOffer => ({
      pipeline,
      modelId,
      capacity: model?.capacity ?? 0,
      warm: model?.warm ?? false,
      ...(served?.pricePerUnit !== undefined ? { price: { pricePerUnit: served.pricePerUnit, pixelsPerUnit: served.pixelsPerUnit ?? '1' } } : {}),
      ...(model !== undefined && model.runnerVersion !== '' ? { runnerVersion: model.runnerVersion } : {}),
    });
    if (this.allowed === undefined) return registered.map((model) => offer(model, model.pipeline, model.modelId));
    const byKey = new Map(registered.map((model) => [modelKey(model.pipeline, model.modelId), model]));
    // Listed models are offered even before a worker serves them (capacity 0): the node knows them and their price.
    return [...this.allowed.values()].map((served) => offer(byKey.get(modelKey(served.pipeline, served.modelId)), served.pipeline, served.modelId, served));
  }

  watch(listener: (offers: readonly AIModelOffer[]) => void): () => void {
    return this.options.pool.onChange(() => listener(this.offers()));
  }

  /** The registered workers' GPUs (go-livepeer puts them in OrchestratorInfo.hardware). */
  hardware(): WorkerHardware[] {
    return this.options.pool.hardware();
  }

  async execute(execution: AIExecution): Promise<AIPipelineResult> {
    const { request } = execution;
    if (this.allowed !== undefined && !this.allowed.has(modelKey(request.pipeline, request.modelId))) {
      throw errors.ai.NO_CAPACITY.create(`remote AI workers do not serve ${request.pipeline} model ${request.modelId} here`, {
        details: { pipeline: request.pipeline, modelId: request.modelId },
      });
    }
    const job = workerJob(request);
    let inputPath: string | undefined;
    let inputUrl = '';
    if (job.input !== undefined) {
      const base = this.options.serviceUri();
      if (base === undefined) throw errors.ai.NO_CAPACITY.create('the orchestrator front door is not open yet: remote AI workers cannot fetch inputs');
      const stored = this.options.inputs.put(job.input.contentType ?? 'application/octet-stream', job.input.data);
      inputPath = stored.path;
      inputUrl = `${base.replace(/\/+$/, '')}${stored.path}`;
    }
    try {
      const result = await this.options.pool.dispatch({
        requestId: execution.requestId,
        pipeline: request.pipeline,
        modelId: request.modelId,
        requestData: encodeRequestData(inputUrl, job.request),
        signal: execution.signal,
      });
      return toPipelineResult(request.pipeline, result, toExecutorError);
    } catch (error) {
      throw toExecutorError(error);
    } finally {
      // The worker downloaded it before answering; a late download of a finished job finds nothing.
      if (inputPath !== undefined) this.options.inputs.delete(inputPath);
    }
  }

  async close(): Promise<void> {
    this.options.pool.close();
    this.options.inputs.clear();
  }

  private warnUnlisted(): void {
    for (const model of this.options.pool.models()) {
      const key = modelKey(model.pipeline, model.modelId);
      if (this.allowed?.has(key) || this.warned.has(key)) continue;
      this.warned.add(key);
      this.options.onUnlisted?.(model);
    }
  }
}
