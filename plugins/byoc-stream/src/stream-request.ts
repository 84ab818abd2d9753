/**
 * The JSON a BYOC stream call carries (go-livepeer byoc/types.go):
 * JobRequest.parameters is JobParameters (which channels the stream gets),
 * JobRequest.request is JobRequestDetails (`{"stream_id":…}` on stop, update
 * and payment), and the start body is a JSON object handed on to the app.
 */
import { errors } from '@lpx/sdk';

export interface StreamParameters {
  /** `{id}` (video/MP2T): the gateway publishes input there, the app subscribes. */
  readonly videoIngress: boolean;
  /** `{id}-out` (video/MP2T): the app publishes output, the gateway subscribes. */
  readonly videoEgress: boolean;
  /** `{id}-data` (application/jsonl): the app's data output. */
  readonly dataOutput: boolean;
}

function invalid(message: string): never {
  throw errors.byoc.STREAM_PARAMETERS_INVALID.create(message);
}

function object(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    invalid(`${what} is not JSON: ${(error as Error).message}`);
  }
  // go's json.Unmarshal into a struct or map takes null as "nothing".
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) invalid(`${what} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

function flag(o: Record<string, unknown>, name: string): boolean {
  const value = o[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') invalid(`JobRequest.parameters.${name} must be a boolean`);
  return value;
}

/** An empty `parameters` is taken as `{}` (go-livepeer would refuse it; its own gateway always sends one). */
export function parseStreamParameters(parameters: string): StreamParameters {
  const o = parameters.trim() === '' ? {} : object(parameters, 'JobRequest.parameters');
  return { videoIngress: flag(o, 'enable_video_ingress'), videoEgress: flag(o, 'enable_video_egress'), dataOutput: flag(o, 'enable_data_output') };
}

/** JobRequestDetails.stream_id: required on stop and update. */
export function parseStreamId(request: string): string {
  const id = object(request, 'JobRequest.request')['stream_id'];
  if (typeof id !== 'string' || id === '') invalid('JobRequest.request must carry the stream_id of the stream: {"stream_id":"…"}');
  return id;
}

/** The start body: a JSON object (or nothing) whose keys go on to the app's /stream/start. */
export function parseStartBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return object(text, 'the start body');
  } catch {
    // go-livepeer's exact text.
    invalid('Invalid JSON body');
  }
}
