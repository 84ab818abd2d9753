/**
 * A batch AI request run for a plugin that took the payment itself
 * (`coreServices.orchestratorWire.serveAI`, the ai-live-runner bridge, ADR
 * 0050): the front door's `POST /<pipeline>` (ai-routes.ts) minus the ticket
 * checks — the same body decoding and ai.limits, the pipeline's own checks,
 * the model pinned to the one the caller paid for, the units held to what
 * its fixed price covers, capacity reserved for (pipeline, model), the run as
 * a job on the AI workers — and the result with its media inline, as an
 * ai-runner answers. Refusals are coded AI errors; nothing here touches money.
 */
import { randomBytes } from 'node:crypto';
import { aiCapabilityId, errors, isAIPipelineName, isLpxError, type AIPipelineRequest, type AIRequestBody, type WireAIReply, type WireAIRequest } from '@lpx/sdk';
import type { BlobStore } from '../../blobs/index.js';
import type { KernelAI, OrchestratorAI } from '../../ai/kernel-ai.js';
import type { CapabilityRegistry } from '../../capabilities/index.js';
import { inlineResultJson } from './ai-reply.js';
import { decodeAIRequestBody } from './ai-request-body.js';

export interface AIServeDeps {
  readonly ai: KernelAI;
  readonly served: OrchestratorAI;
  readonly registry: CapabilityRegistry;
  readonly store: BlobStore;
}

/** The model field a pipeline's body names its model in (the LLM takes OpenAI's `model`). */
function modelField(pipeline: string): string {
  return pipeline === 'llm' ? 'model' : 'model_id';
}

/** The body with the bound model filled in; a body naming another model is refused. */
function pinModel(body: AIRequestBody, pipeline: string, modelId: string): AIRequestBody {
  const field = modelField(pipeline);
  const named = body.kind === 'json' ? body.json[field] : body.fields[field];
  if (named !== undefined && named !== '' && named !== modelId) {
    throw errors.ai.REQUEST_INVALID.create(`this app serves ${pipeline} with model ${modelId}; the request names ${String(named)}`, { details: { field, modelId } });
  }
  if (body.kind === 'json') return { kind: 'json', json: { ...body.json, [field]: modelId } };
  return { ...body, fields: { ...body.fields, [field]: modelId } };
}

export function aiServer(deps: AIServeDeps): (input: WireAIRequest) => Promise<WireAIReply> {
  return async (input) => {
    const pipeline = isAIPipelineName(input.pipeline) ? deps.ai.pipelines.get(input.pipeline) : undefined;
    const capabilityId = pipeline === undefined ? '' : aiCapabilityId(pipeline.name);
    if (pipeline === undefined || !deps.ai.declared.includes(capabilityId)) throw errors.ai.PIPELINE_UNKNOWN.create(`this orchestrator serves no AI pipeline ${JSON.stringify(input.pipeline)}`);
    const limit = deps.ai.limits.maxBodyBytes;
    if (input.body.byteLength > limit) throw errors.ai.LIMIT_EXCEEDED.create(`the request body is over ai.limits.maxBodyBytes (${limit} bytes)`, { details: { limit: 'maxBodyBytes', max: limit } });
    const data = Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
    const body = pinModel(decodeAIRequestBody(data, input.contentType, pipeline), pipeline.name, input.modelId);

    let validated: AIPipelineRequest;
    let units: bigint;
    try {
      validated = await pipeline.validate(body, deps.ai.limits);
      units = pipeline.units(validated, 'orchestrator');
    } catch (error) {
      throw isLpxError(error) ? error : errors.ai.REQUEST_INVALID.create((error as Error).message, { cause: error as Error });
    }
    if (typeof units !== 'bigint' || units < 0n) throw errors.ai.REQUEST_INVALID.create(`the ${pipeline.name} pipeline computed no billing units`);
    if (input.maxUnits !== undefined && units > input.maxUnits) {
      throw errors.ai.UNITS_NOT_COVERED.create(`this ${pipeline.name} request needs ${units} billing units (${pipeline.unit}); the app's fixed price covers ${input.maxUnits}`, {
        details: { units: units.toString(), maxUnits: input.maxUnits.toString(), unit: pipeline.unit },
      });
    }

    const models = deps.registry.get(capabilityId)?.constraints.models ?? {};
    if (!(validated.modelId in models)) throw errors.ai.MODEL_UNKNOWN.create(`no AI worker here serves ${pipeline.name} with model ${validated.modelId}`, { details: { pipeline: pipeline.name, modelId: validated.modelId } });
    if (deps.registry.available(capabilityId, validated.modelId) < 1) throw errors.ai.NO_CAPACITY.create('insufficient capacity', { details: { pipeline: pipeline.name, modelId: validated.modelId } });
    const reservation = deps.registry.reserve(capabilityId, validated.modelId);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      deps.registry.release(reservation);
    };
    try {
      const outcome = await deps.served.run({ requestId: randomBytes(16).toString('hex'), request: validated, signal: input.signal });
      deps.ai.charged(pipeline.name, validated.modelId, units);
      if (outcome.kind === 'stream') {
        const events = outcome.events;
        // The slot is held until the stream ends, as on the front door.
        async function* relayed(): AsyncGenerator<Readonly<Record<string, unknown>>> {
          try {
            yield* events;
          } finally {
            release();
          }
        }
        return { kind: 'stream', events: relayed(), units };
      }
      const json = await inlineResultJson(outcome.json, outcome.files, deps.store);
      release();
      return { kind: 'json', json, units };
    } catch (error) {
      release();
      throw runnerRefusal(error) ?? error;
    }
  };
}

/** `<pipeline> runner answered 4xx: …` (the runner kit's words, the only part that crosses the job boundary). */
const RUNNER_4XX = /runner answered (4\d\d): /;

/**
 * A runner that refused the input (4xx) is the request's fault, not the
 * runner's: the caller gets a 4xx it can act on (go-livepeer's gateway reads
 * a runner's 400 the same way, ADR 0034). 413 stays a limit.
 */
function runnerRefusal(error: unknown): Error | undefined {
  if (!errors.ai.RUNNER_FAILED.is(error)) return undefined;
  const status = RUNNER_4XX.exec(error.message)?.[1];
  if (status === undefined) return undefined;
  const code = status === '413' ? errors.ai.LIMIT_EXCEEDED : errors.ai.REQUEST_INVALID;
  return code.create(error.message, { cause: error, details: { runnerStatus: Number(status) } });
}
