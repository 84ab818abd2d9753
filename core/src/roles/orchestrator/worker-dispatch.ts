/**
 * Accepted paid work becomes a BullMQ job on the capability's queue, where the
 * orchestrator's workers (this process or others sharing Redis) take it. The
 * gateway's request id is the job id, so a retried request — the gateway lost
 * the response, or failed over and came back — joins the job already running
 * or returns its result instead of doing the work twice. Manifest-declared
 * capabilities get the JSON-parsed body; capabilities registered at run time
 * (BYOC apps) get the request as sent and answer status, type and body —
 * or, when the app answered `text/event-stream`, stream its lines through the
 * job's Redis stream, which this side reads as they are appended (a reader
 * connection is opened only for a job that streams: JobsKernel.submitAndStream).
 */
import { errors, isCapabilityId, type CapabilityJobRequest, type CapabilityJobResponse, type JobsService, type WaitOptions } from '@lpx/sdk';
import type { CapabilityRegistry } from '../../capabilities/index.js';
import type { RelayOpening } from '../../jobs/stream-relay.js';

/** submitAndWait for a job that may stream: JobsKernel.submitAndStream. */
export type SubmitAndStream = <Input, Output>(capabilityId: string, data: Input, options: WaitOptions & { unended: () => Error }) => Promise<RelayOpening<Output>>;

export interface DispatchRequest {
  readonly capabilityId: string;
  readonly requestId: string;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly timeoutMs: number;
  /** For run-time capabilities (BYOC apps): the path after /process/request/, the sender, the JobRequest strings. */
  readonly subpath?: string;
  readonly sender?: string;
  readonly request?: string;
  readonly parameters?: string;
}

export interface DispatchResult {
  readonly status?: number;
  readonly contentType: string;
  readonly body: Buffer | string;
  /** The app's SSE lines as they come (then `body` is empty). */
  readonly lines?: AsyncIterable<string>;
}

/** BYOC names capabilities freely (`echo`); lpx ids are `<domain>/<name>`. A bare name means `byoc/<name>`. */
export function capabilityIdFor(name: string): string {
  return isCapabilityId(name) ? name : `byoc/${name}`;
}

function jobInput(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) return {};
  if (contentType === undefined || /json/i.test(contentType)) return JSON.parse(body.toString('utf8')) as unknown;
  return { contentType, body: body.toString('base64') };
}

/** A run-time capability proxies an app: it gets the request as sent and answers status, type and body. */
function rawInput(request: DispatchRequest): CapabilityJobRequest {
  return {
    subpath: request.subpath ?? '',
    contentType: request.contentType ?? '',
    body: request.body.toString('base64'),
    timeoutMs: request.timeoutMs,
    sender: request.sender ?? '',
    request: request.request ?? '',
    parameters: request.parameters ?? '',
  };
}

function rawResult(output: CapabilityJobResponse): DispatchResult {
  return { status: output.status, contentType: output.contentType, body: Buffer.from(output.body, 'base64') };
}

export function workerDispatch(jobs: JobsService, capabilities: CapabilityRegistry, submitAndStream?: SubmitAndStream) {
  return async (request: DispatchRequest): Promise<DispatchResult> => {
    const raw = capabilities.registeredAtRuntimeBy(request.capabilityId) !== undefined;
    const jobId = `req-${request.requestId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    // The gateway retries across orchestrators; a retry here would only hold the gateway's money longer.
    const options = { jobId, timeoutMs: request.timeoutMs, attempts: 1 };
    if (!raw) return { contentType: 'application/json', body: JSON.stringify((await jobs.submitAndWait(request.capabilityId, jobInput(request.body, request.contentType), options)) ?? null) };
    if (submitAndStream === undefined) return rawResult(await jobs.submitAndWait<CapabilityJobRequest, CapabilityJobResponse>(request.capabilityId, rawInput(request), options));
    const broken = (why: string) => errors.byoc.WORKER_FAILED.create(`${request.capabilityId}: ${why}`, { details: { capability: request.capabilityId } });
    const opening = await submitAndStream<CapabilityJobRequest, CapabilityJobResponse>(request.capabilityId, rawInput(request), { ...options, unended: () => broken('the job ended before its stream did') });
    return streamedOrWhole(opening, broken);
  };
}

/** The app's answer whole, or its lines as the worker appends them to the job's stream. */
function streamedOrWhole(opening: RelayOpening<CapabilityJobResponse>, broken: (why: string) => Error): DispatchResult {
  if (opening.kind === 'result') return rawResult(opening.result);
  if (opening.first.t !== 'start') throw broken(`the stream began with "${opening.first.t}"`);
  const { rest } = opening;
  async function* lines(): AsyncGenerator<string> {
    for await (const entry of rest) {
      if (entry.t === 'data') yield String(entry.d['line'] ?? '');
      else if (entry.t === 'error') throw broken(entry.message);
    }
  }
  return { status: 200, contentType: 'text/event-stream', body: '', lines: lines() };
}
