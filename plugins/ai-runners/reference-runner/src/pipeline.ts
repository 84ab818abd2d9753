import type { FieldSpec, FieldValues } from './fields.js';

/** What a pipeline answers: the route's JSON, or (LLM streaming) SSE `data:` payloads. */
export type PipelineReply =
  | { readonly kind: 'json'; readonly json: unknown }
  | { readonly kind: 'sse'; readonly events: AsyncIterable<string> };

/** How the runner produced a pipeline's output, said in the x-lpx-reference-runner header and the README. */
export type EngineKind = 'deterministic' | 'espeak-ng' | 'pocketsphinx' | 'tesseract' | 'ffmpeg';

export interface PipelineCall {
  readonly modelId: string;
  readonly values: FieldValues;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

/**
 * One ai-runner route. The server does what every route shares (body
 * parsing, 422s, bearer token, model check); the pipeline checks its own
 * fields and runs its engine.
 */
export interface RunnerPipeline {
  readonly name: string;
  readonly body: 'json' | 'multipart';
  readonly fields: readonly FieldSpec[];
  /** The field that names the model (`model_id`, `model` for llm). */
  readonly modelField: string;
  /** The runner's messages differ by a full stop between routes; kept as-is. */
  readonly fullStops: boolean;
  readonly engine: EngineKind;
  /** The 500 message when the engine fails in an unexpected way (the runner's default per route). */
  readonly failureMessage: string;
  /** Checks before the bearer token, as text-to-image's empty-prompt check in the runner. */
  precheck?(values: FieldValues): void;
  /** Makes sure the engine can run (binaries, model files); throws with the reason. */
  load(modelId: string): Promise<void>;
  run(call: PipelineCall): Promise<PipelineReply>;
}

export function stringValue(values: FieldValues, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : '';
}

export function numberValue(values: FieldValues, name: string): number {
  const value = values[name];
  return typeof value === 'number' ? value : Number.NaN;
}

export function optionalNumber(values: FieldValues, name: string): number | undefined {
  const value = values[name];
  return typeof value === 'number' ? value : undefined;
}

export function boolValue(values: FieldValues, name: string): boolean {
  return values[name] === true;
}
