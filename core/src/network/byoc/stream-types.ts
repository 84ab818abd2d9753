/**
 * The JSON of go-livepeer's BYOC streaming API (byoc/types.go): what a client
 * sends `POST /process/stream/start`, what the gateway answers, the job
 * parameters that pick orchestrators and trickle channels, and the headers in
 * which an orchestrator's `/ai/stream/start` answer names those channels.
 */
import { errors } from '@lpx/sdk';

/** StartRequest: every field optional (go decodes missing ones as ""). */
export interface StreamStartRequest {
  readonly stream_name: string;
  readonly rtmp_output: string;
  readonly stream_id: string;
  /** A JSON-encoded object of pipeline parameters, or "". */
  readonly params: string;
}

/**
 * StreamUrls as go-livepeer answers it, plus lpx's HTTP ingest/egress. lpx
 * runs no MediaMTX and no WHIP/WHEP server, so those URLs are always "".
 */
export interface StreamUrls {
  readonly stream_id: string;
  readonly whip_url: string;
  readonly whep_url: string;
  readonly rtmp_url: string;
  readonly rtmp_output_url: string;
  readonly update_url: string;
  readonly status_url: string;
  readonly data_url: string;
  readonly stop_url: string;
  /** lpx: `POST` one segment (the body) to the orchestrator's publish channel; "" without ingress. */
  readonly ingest_url: string;
  /** lpx: `GET` the next output segment from the orchestrator's subscribe channel; "" without egress. */
  readonly out_url: string;
}

/** JobParameters: orchestrator filters (gateway) and channel switches (orchestrator). */
export interface StreamJobParameters {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly enableVideoIngress: boolean;
  readonly enableVideoEgress: boolean;
  readonly enableDataOutput: boolean;
}

/** The channel URLs an orchestrator's `/ai/stream/start` answer carries in its headers. */
export const STREAM_URL_HEADERS = {
  control: 'x-control-url',
  events: 'x-events-url',
  publish: 'x-publish-url',
  subscribe: 'x-subscribe-url',
  data: 'x-data-url',
} as const;

export type StreamChannel = keyof typeof STREAM_URL_HEADERS;

function invalid(message: string): never {
  throw errors.byoc.STREAM_START_INVALID.create(message);
}

function jsonObject(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    invalid(`${what} is not JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) invalid(`${what} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) invalid(`${what} must be an array of URL strings`);
  return value as string[];
}

function flag(obj: Record<string, unknown>, key: string): boolean {
  const value = obj[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') invalid(`parameters.${key} must be a boolean`);
  return value;
}

/** JobRequest.parameters; "" reads as {} (go-livepeer would refuse it; clients of its docs send "{}"). */
export function parseStreamParameters(text: string): StreamJobParameters {
  const obj = text.trim() === '' ? {} : jsonObject(text, 'JobRequest.parameters');
  const orchestrators = obj['orchestrators'] ?? {};
  if (orchestrators === null || typeof orchestrators !== 'object' || Array.isArray(orchestrators)) invalid('parameters.orchestrators must be an object');
  const filter = orchestrators as Record<string, unknown>;
  return {
    include: stringList(filter['include'], 'parameters.orchestrators.include'),
    exclude: stringList(filter['exclude'], 'parameters.orchestrators.exclude'),
    enableVideoIngress: flag(obj, 'enable_video_ingress'),
    enableVideoEgress: flag(obj, 'enable_video_egress'),
    enableDataOutput: flag(obj, 'enable_data_output'),
  };
}

/** JobRequest.request: a JobRequestDetails object; its stream_id when it has one. */
export function parseRequestDetails(text: string): { readonly streamId: string | undefined } {
  const obj = jsonObject(text.trim() === '' ? '{}' : text, 'JobRequest.request');
  const id = obj['stream_id'];
  if (id !== undefined && id !== null && typeof id !== 'string') invalid('JobRequest.request.stream_id must be a string');
  return { streamId: typeof id === 'string' && id !== '' ? id : undefined };
}

function stringField(obj: Record<string, unknown>, key: string): string {
  const value = obj[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') invalid(`StartRequest.${key} must be a string`);
  return value;
}

/** The StartRequest body; an empty body is a request with every field empty. */
export function parseStartRequest(body: Buffer): StreamStartRequest {
  const text = body.toString('utf8');
  const obj = text.trim() === '' ? {} : jsonObject(text, 'the StartRequest body');
  return { stream_name: stringField(obj, 'stream_name'), rtmp_output: stringField(obj, 'rtmp_output'), stream_id: stringField(obj, 'stream_id'), params: stringField(obj, 'params') };
}

/** StartRequest.params as the object the orchestrator's worker gets under `params` (null when absent). */
export function pipelineParams(params: string): Record<string, unknown> | null {
  return params === '' ? null : jsonObject(params, 'StartRequest.params');
}

/** Ids appear in URL paths and trickle channel names (`{id}-out`): keep them path-safe. */
const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

export function checkStreamId(id: string): string {
  if (!STREAM_ID.test(id)) invalid(`stream id ${JSON.stringify(id.slice(0, 140))} must be 1-128 characters of letters, digits, '.', '_', '~' or '-'`);
  return id;
}

/**
 * An orchestrator's channel URL made absolute: go-livepeer gives the O's
 * service host to URLs that name none (common.AppendHostname).
 */
export function channelUrl(value: string | undefined, serviceAddr: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  try {
    return new URL(value.trim(), serviceAddr).toString();
  } catch {
    return undefined;
  }
}
