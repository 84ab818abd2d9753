import { createExtensionPoint } from '../refs/extension-point.js';
import type {
  AIPipelineName,
  AIPipelineRequest,
  AIPipelineResult,
  AIRequestBody,
  AIRequestLimits,
  AIRunnerEndpoint,
} from '../ai/pipelines.js';

/** Which side computes units: go-livepeer's gateway estimate and orchestrator debit differ for some pipelines. */
export type AIUnitsSide = 'gateway' | 'orchestrator';

/**
 * One AI pipeline (text-to-image, llm...): what a request looks like, what it
 * costs, and how to run it on a runner. Pipelines are pure descriptions plus
 * runner calls: they hold no capacity and no containers (executors do), so
 * the same definition serves the gateway (validation, unit estimate), the
 * orchestrator (validation, units to debit) and the worker (running it).
 */
export interface AIPipeline {
  readonly name: AIPipelineName;
  /** go-livepeer's capability enum value (27 text-to-image ... 36 text-to-speech). */
  readonly livepeerCapability: number;
  /** How apps and gateways send it: JSON or multipart/form-data. */
  readonly bodyKind: 'json' | 'multipart';
  /** go-livepeer's gateway default model for the pipeline. */
  readonly defaultModel: string;
  /** What one billing unit is (pixel, ms of audio, token, character): shown to operators. */
  readonly unit: string;
  /** Long pipelines accept `Prefer: respond-async` (image-to-video). */
  readonly async?: boolean;
  /**
   * Checks a request and measures what pricing needs (media is decoded:
   * a malformed image or audio file is refused here). Throws
   * errors.ai.REQUEST_INVALID / errors.ai.LIMIT_EXCEEDED naming the field.
   * `defaultModel` is used when the request names none.
   */
  validate(body: AIRequestBody, limits: AIRequestLimits): Promise<AIPipelineRequest>;
  /** Billing units (go-livepeer's per-pipeline proxies; quirks per side are recorded in an ADR). */
  units(request: AIPipelineRequest, side: AIUnitsSide): bigint;
  /**
   * Runs a validated request on a runner speaking the ai-runner API and turns
   * the runner's answer into a result (data URLs become files). Honours the
   * signal; runner failures are errors.ai.RUNNER_* codes.
   */
  run(request: AIPipelineRequest, runner: AIRunnerEndpoint, signal: AbortSignal): Promise<AIPipelineResult>;
}

/** A (pipeline, model) an executor can run, and how many at once. */
export interface AIModelOffer {
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  /** Requests it runs at once right now (0 = known but full or not started). */
  readonly capacity: number;
  readonly warm: boolean;
  /** Price from the operator's config (aiModels price_per_unit / pixels_per_unit), wei as decimal strings. */
  readonly price?: { readonly pricePerUnit: string; readonly pixelsPerUnit: string };
  /** Runner version, advertised as the model constraint's runnerVersion. */
  readonly runnerVersion?: string;
}

export interface AIExecution {
  readonly requestId: string;
  readonly pipeline: AIPipeline;
  readonly request: AIPipelineRequest;
  readonly signal: AbortSignal;
}

/**
 * Something that runs AI requests: managed runner containers and external
 * runner URLs (`aiModels`), remote go-livepeer `-aiWorker` nodes... The
 * kernel sums every executor's offers into the capability registry
 * (capacity and price per model), admits requests against it and runs each
 * on an executor that offers the model.
 */
export interface AIExecutor {
  /** Stable, unique on a node: `runners`, `remote-workers`. */
  readonly name: string;
  offers(): readonly AIModelOffer[];
  /** Offers move (containers warming, remote workers connecting); returns an unsubscribe. */
  watch?(listener: (offers: readonly AIModelOffer[]) => void): () => void;
  /** Throws errors.ai.NO_CAPACITY when it cannot take the request after all (the kernel tries another executor). */
  execute(execution: AIExecution): Promise<AIPipelineResult>;
  /** Node shutdown, after running requests were cancelled. */
  close?(): Promise<void>;
}

export interface AIPipelinesExtensionPoint {
  addPipeline(pipeline: AIPipeline): void;
}

export interface AIExecutorsExtensionPoint {
  addExecutor(executor: AIExecutor): void;
}

/** Owned by the kernel: pipelines are needed on gateways, orchestrators and workers alike. */
export const aiPipelinesExtensionPoint = createExtensionPoint<AIPipelinesExtensionPoint>({ id: 'ai.pipelines' });
/** Owned by the kernel: executors run on worker nodes. */
export const aiExecutorsExtensionPoint = createExtensionPoint<AIExecutorsExtensionPoint>({ id: 'ai.executors' });
