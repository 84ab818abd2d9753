/**
 * AI pipelines as go-livepeer and ai-runner name them. The batch routes
 * (`POST /<pipeline>`) are the same on a gateway, an orchestrator and a
 * runner; lpx capability ids are `ai/<pipeline>`.
 */
export const AI_PIPELINES = [
  'text-to-image',
  'image-to-image',
  'image-to-video',
  'upscale',
  'audio-to-text',
  'segment-anything-2',
  'llm',
  'image-to-text',
  'text-to-speech',
] as const;

export type AIPipelineName = (typeof AI_PIPELINES)[number];

/** go-livepeer's capability enum values for the batch pipelines. */
export const AI_PIPELINE_LIVEPEER_CAPABILITY: Readonly<Record<AIPipelineName, number>> = {
  'text-to-image': 27,
  'image-to-image': 28,
  'image-to-video': 29,
  upscale: 30,
  'audio-to-text': 31,
  'segment-anything-2': 32,
  llm: 33,
  'image-to-text': 34,
  'text-to-speech': 36,
};

export function isAIPipelineName(value: string): value is AIPipelineName {
  return (AI_PIPELINES as readonly string[]).includes(value);
}

export function aiCapabilityId(pipeline: AIPipelineName): `ai/${AIPipelineName}` {
  return `ai/${pipeline}`;
}

/** A file in a multipart request (`image`, `audio`, `mask_input`...). */
export interface AIUpload {
  readonly field: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Uint8Array;
}

/** A request body as it arrived on the wire (gateway app route, orchestrator route, job). */
export type AIRequestBody =
  | { readonly kind: 'json'; readonly json: Readonly<Record<string, unknown>> }
  | { readonly kind: 'multipart'; readonly fields: Readonly<Record<string, string>>; readonly files: readonly AIUpload[] };

/** Limits the node applies before a pipeline sees a request (config `ai.limits`). */
export interface AIRequestLimits {
  /** Largest request body in bytes (all files together). */
  readonly maxBodyBytes: number;
  /** Longest prompt / text in characters. */
  readonly maxPromptChars: number;
  /** Largest input image side in pixels. */
  readonly maxImageSide: number;
  /** Longest input audio in ms. */
  readonly maxAudioMs: number;
  /** Largest LLM max_tokens. */
  readonly maxTokens: number;
}

/**
 * A request a pipeline has validated. The body is what the runner is sent
 * (unknown fields refused, defaults left to the runner as go-livepeer does);
 * `measures` is what validation measured (input width/height, audio ms,
 * characters, max tokens...) so units can be computed without decoding again.
 */
export interface AIPipelineRequest {
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  readonly body: AIRequestBody;
  /** LLM with `stream: true`: the result is a server-sent event stream. */
  readonly stream: boolean;
  readonly measures: Readonly<Record<string, number>>;
}

/** A media output (image, video, audio). */
export interface AIResultFile {
  /** Unique within the result; the JSON refers to the file by putting this name where its URL goes. */
  readonly name: string;
  readonly contentType: string;
  readonly data: Uint8Array;
}

/**
 * What running a pipeline gives: the response JSON (go-livepeer's shape for
 * the pipeline) with media as files, or a stream of SSE `data:` objects (LLM).
 * The kernel stores files and rewrites their names in the JSON to URLs (or
 * base64 data URLs for gateways that ask for them, as go-livepeer does).
 */
export type AIPipelineResult =
  | { readonly kind: 'json'; readonly json: unknown; readonly files: readonly AIResultFile[] }
  | { readonly kind: 'stream'; readonly events: AsyncIterable<Readonly<Record<string, unknown>>> };

/**
 * A runner that speaks the ai-runner HTTP API (`POST /<pipeline>`,
 * `GET /health`, `GET /hardware/info`): a container the node manages or an
 * external URL from `aiModels`.
 */
export interface AIRunnerEndpoint {
  /** `http://127.0.0.1:8000` (no trailing slash). */
  readonly baseUrl: string;
  /** Bearer token for external runners. */
  readonly token?: string;
}
