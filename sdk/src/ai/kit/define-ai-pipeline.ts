import type { TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { errors } from '../../errors/catalogue.js';
import type { AIPipeline, AIUnitsSide } from '../../extension-points/ai-pipelines.js';
import { AI_PIPELINE_LIVEPEER_CAPABILITY, type AIPipelineName, type AIPipelineRequest, type AIPipelineResult, type AIRequestBody, type AIRequestLimits } from '../pipelines.js';
import { bodyBytes, checkLimit } from './limits.js';
import { measureAudio, measureImage, runeCount } from './measure-media.js';
import { checkFields, type AIFileField } from './request-fields.js';
import { postToRunner, readRunnerJson } from './runner-call.js';
import { sseObjects } from './sse-events.js';

export type Measures = Record<string, number>;

/** What a pipeline's own checks see once the schema, limits and media passed. */
export interface RefineInput {
  readonly values: Readonly<Record<string, unknown>>;
  readonly measures: Measures;
  readonly limits: AIRequestLimits;
}

export interface RefineOutput {
  /** Fields to set in the body sent on (go-livepeer's gateway defaults, such as text-to-image's 512×512). */
  readonly set?: Readonly<Record<string, string | number | boolean>>;
  readonly measures?: Measures;
}

export interface RunContext {
  readonly request: AIPipelineRequest;
  readonly signal: AbortSignal;
}

/**
 * A pipeline as data plus the few hooks that differ: the runner's field
 * schema (unknown fields refused), file fields, text fields counted against
 * maxPromptChars, extra checks, units, the runner's answer shape and how the
 * answer becomes a result. defineAIPipeline does the rest the same way for
 * all nine.
 */
export interface AIPipelineDefinition {
  readonly name: AIPipelineName;
  readonly bodyKind: 'json' | 'multipart';
  readonly defaultModel: string;
  readonly unit: string;
  readonly async?: boolean;
  /** Every non-file field apps may send, typed as the ai-runner API types it; `additionalProperties: false`. */
  readonly fields: TObject;
  readonly files?: Readonly<Record<string, AIFileField>>;
  /** `model_id` everywhere but the LLM's OpenAI-shaped `model`. */
  readonly modelField?: 'model_id' | 'model';
  readonly textFields?: readonly string[];
  refine?(input: RefineInput): RefineOutput | void;
  /** Is this request answered as a stream (LLM `stream: true`)? */
  stream?(values: Readonly<Record<string, unknown>>): boolean;
  units(measures: Readonly<Measures>, side: AIUnitsSide): bigint;
  /** The runner's 200 answer; anything else is RESULT_INVALID. */
  readonly response: TSchema;
  toResult(json: never, context: RunContext): AIPipelineResult | Promise<AIPipelineResult>;
}

function withFields(body: AIRequestBody, set: Readonly<Record<string, string | number | boolean>>): AIRequestBody {
  if (Object.keys(set).length === 0) return body;
  if (body.kind === 'json') return { kind: 'json', json: { ...body.json, ...set } };
  const fields: Record<string, string> = { ...body.fields };
  for (const [name, value] of Object.entries(set)) fields[name] = String(value);
  return { kind: 'multipart', fields, files: body.files };
}

async function validate(definition: AIPipelineDefinition, body: AIRequestBody, limits: AIRequestLimits): Promise<AIPipelineRequest> {
  checkLimit('body', bodyBytes(body), 'maxBodyBytes', limits);
  const { values, files } = checkFields(body, definition.bodyKind, definition.fields, definition.files);
  const measures: Measures = {};

  let promptChars = 0;
  for (const field of definition.textFields ?? []) {
    const text = values[field];
    if (typeof text !== 'string') continue;
    const chars = runeCount(text);
    checkLimit(field, chars, 'maxPromptChars', limits);
    promptChars += chars;
  }
  measures['promptChars'] = promptChars;

  for (const [field, spec] of Object.entries(definition.files ?? {})) {
    const file = files[field];
    if (!file) continue;
    if (spec.media === 'image') {
      const image = measureImage(file.data, field);
      checkLimit(`${field} width`, image.width, 'maxImageSide', limits);
      checkLimit(`${field} height`, image.height, 'maxImageSide', limits);
      measures['inputWidth'] = image.width;
      measures['inputHeight'] = image.height;
    } else {
      const audio = await measureAudio(file.data, field, file.contentType);
      checkLimit(field, audio.durationMs, 'maxAudioMs', limits);
      measures['audioMs'] = audio.durationMs;
    }
  }

  const refined = definition.refine?.({ values, measures, limits }) ?? {};
  Object.assign(measures, refined.measures ?? {});

  const modelField = definition.modelField ?? 'model_id';
  const named = values[modelField];
  const modelId = typeof named === 'string' && named.trim() !== '' ? named : definition.defaultModel;
  const set = { ...refined.set, ...(named === modelId ? {} : { [modelField]: modelId }) };
  return {
    pipeline: definition.name,
    modelId,
    body: withFields(body, set),
    stream: definition.stream?.({ ...values, ...set }) ?? false,
    measures,
  };
}

function checkResponse(definition: AIPipelineDefinition, json: unknown): void {
  const first = Value.Errors(definition.response, json).First();
  if (first !== undefined) {
    throw errors.ai.RESULT_INVALID.create(`${definition.name} runner answer is not the pipeline's response shape: ${first.path || '/'} ${first.message}`);
  }
}

/** An AIPipeline from a definition: validation, units and the runner call wired the same way for every pipeline. */
export function defineAIPipeline(definition: AIPipelineDefinition): AIPipeline {
  return {
    name: definition.name,
    livepeerCapability: AI_PIPELINE_LIVEPEER_CAPABILITY[definition.name],
    bodyKind: definition.bodyKind,
    defaultModel: definition.defaultModel,
    unit: definition.unit,
    ...(definition.async ? { async: true } : {}),
    validate: (body, limits) => validate(definition, body, limits),
    units: (request, side) => definition.units(request.measures, side),
    async run(request, runner, signal) {
      if (signal.aborted) throw errors.ai.CANCELLED.create(`${definition.name} request cancelled before it reached the runner`, { cause: signal.reason });
      const response = await postToRunner(definition.name, runner, request.body, signal, request.stream ? 'text/event-stream' : 'application/json');
      if (request.stream && (response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        return { kind: 'stream', events: sseObjects(definition.name, response, signal) };
      }
      const json = await readRunnerJson(definition.name, response, signal);
      checkResponse(definition, json);
      if (signal.aborted) throw errors.ai.CANCELLED.create(`${definition.name} request cancelled`, { cause: signal.reason });
      return definition.toResult(json as never, { request, signal });
    },
  };
}
