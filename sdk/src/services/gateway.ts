import type { AIPipelineName, AIRequestBody } from '../ai/pipelines.js';
import type { OutputFormat, TranscodeProfile } from '../transcode/profiles.js';

export interface SegmentTranscodeRequest {
  /** The stream (go-livepeer's manifest id): one orchestrator session per stream where possible. */
  readonly streamId: string;
  readonly seq: number;
  /** The source segment (MPEG-TS or MP4). */
  readonly data: Uint8Array;
  readonly format: OutputFormat;
  /** As the ingest stated it (Content-Duration); 0 = unknown, counted as 2 s like go-livepeer. */
  readonly durationMs: number;
  readonly profiles: readonly TranscodeProfile[];
  /** Whose budget pays (gateway.tenants); absent = the gateway's own. */
  readonly tenant?: string;
  /**
   * The most this segment may cost, in wei (an orchestrator whose fee is higher is
   * skipped, nothing paid). A plugin with `grants.spend.maxPerJobWei` gets that as
   * the default and is refused above it (ADR 0036).
   */
  readonly maxJobWei?: string;
  /**
   * Aborting stops the routing: a queued segment never reaches an orchestrator, one in flight is
   * answered at once and nothing more is paid. Ingest plugins pass the node's shutdown signal rather
   * than the pusher's connection: ffmpeg's segment muxer hangs up without waiting for answers, and
   * go-livepeer finishes such segments too (ADR 0027).
   */
  readonly signal?: AbortSignal;
}

export interface TranscodedRendition {
  readonly profile: string;
  readonly data: Buffer;
  /** Pixels the orchestrator charged for. */
  readonly pixels: bigint;
}

export interface TranscodedSegment {
  readonly seq: number;
  /** Service URI of the orchestrator that did the work. */
  readonly orchestrator: string;
  /** Same order as the request's profiles. */
  readonly renditions: readonly TranscodedRendition[];
  /** Orchestrators tried, including the one that succeeded. */
  readonly attempts: number;
}

export interface AIGatewayRequest {
  readonly pipeline: AIPipelineName;
  /** The body as the app sent it (go-livepeer gateway route shapes); validated by the pipeline. */
  readonly body: AIRequestBody;
  /** Whose budget pays (gateway.tenants); absent = the gateway's own. */
  readonly tenant?: string;
  /** Highest price accepted, wei per unit as "num/den" or "num"; absent = the gateway's configured ceiling. */
  readonly maxPricePerUnit?: string;
  /** The most this request may cost, in wei; see SegmentTranscodeRequest.maxJobWei. */
  readonly maxJobWei?: string;
  /** Aborting stops routing and any stream; nothing more is paid. */
  readonly signal?: AbortSignal;
}

/** A media output the gateway downloaded from the orchestrator and now serves itself. */
export interface AIGatewayMedia {
  /** The gateway URL the result JSON names for it (absolute path on the gateway's HTTP port). */
  readonly url: string;
  readonly contentType: string;
  readonly data: Buffer;
}

export type AIGatewayResult =
  | {
      readonly kind: 'json';
      /** go-livepeer's response JSON for the pipeline, media URLs pointing at the gateway. */
      readonly json: unknown;
      readonly media: readonly AIGatewayMedia[];
      readonly orchestrator: string;
      readonly modelId: string;
      readonly attempts: number;
    }
  | {
      /** LLM streaming: go-livepeer's SSE `data:` objects, in order. */
      readonly kind: 'stream';
      readonly events: AsyncIterable<Readonly<Record<string, unknown>>>;
      readonly orchestrator: string;
      readonly modelId: string;
      readonly attempts: number;
    };

/** A model some orchestrator in the gateway's pool offers. */
export interface AIGatewayModel {
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  /** Orchestrators offering it now. */
  readonly orchestrators: number;
  readonly warm: boolean;
  /** The lowest advertised price (wei per unit, "num/den"). */
  readonly lowestPrice?: string;
}

/**
 * The gateway role's job routing as plugins see it (ingest plugins, for a
 * start). Each call is a durable route job: the kernel picks an orchestrator
 * from the pool, pays it (pixels at its price), sends the work over
 * go-livepeer's wire, verifies the result, and fails over to another one.
 * Errors are coded (`errors.gateway.*`, `errors.transcode.*`).
 */
export interface GatewayService {
  /** The node runs the gateway role; on other nodes every call throws LPX_ERR_GATEWAY_NOT_ENABLED. */
  readonly enabled: boolean;
  transcodeSegment(request: SegmentTranscodeRequest): Promise<TranscodedSegment>;
  /** The stream is over: its orchestrator sessions are ended (go-livepeer's EndTranscodingSession). */
  endStream(streamId: string): Promise<void>;
  /**
   * One batch AI request, routed like a job: orchestrators offering the model
   * within the price ceiling, paid over go-livepeer's AI wire
   * (Livepeer-Payment / Livepeer-Segment), retried on another orchestrator on
   * failure before any output was delivered. Errors are errors.ai.* and
   * errors.gateway.*.
   */
  ai(request: AIGatewayRequest): Promise<AIGatewayResult>;
  /** The models the gateway's orchestrator pool offers, for `GET /v1/models`. */
  aiModels(): Promise<readonly AIGatewayModel[]>;
  /**
   * The tenant (gateway.tenants, ADR 0017) an `Authorization: Bearer <key>`
   * header belongs to, for plugins that take requests from apps themselves
   * (the OpenAI-compatible API) and pass `tenant` on. Undefined on an open
   * gateway (no tenants); a missing or unknown key throws
   * LPX_ERR_GATEWAY_API_KEY_REQUIRED / LPX_ERR_GATEWAY_API_KEY_INVALID (401).
   */
  authenticate(authorization: string | undefined): Promise<string | undefined>;
}
