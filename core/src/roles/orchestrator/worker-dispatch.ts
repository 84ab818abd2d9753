/**
 * Accepted paid work becomes a BullMQ job on the capability's queue, where the
 * orchestrator's workers (this process or others sharing Redis) take it. The
 * gateway's request id is the job id, so a retried request — the gateway lost
 * the response, or failed over and came back — joins the job already running
 * or returns its result instead of doing the work twice. Manifest-declared
 * capabilities get the JSON-parsed body; capabilities registered at run time
 * (BYOC apps) get the request as sent and answer status, type and body.
 */
import { isCapabilityId, type CapabilityJobRequest, type CapabilityJobResponse, type JobsService } from '@lpx/sdk';
import type { CapabilityRegistry } from '../../capabilities/index.js';

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

export function workerDispatch(jobs: JobsService, capabilities: CapabilityRegistry) {
  return async (request: DispatchRequest): Promise<DispatchResult> => {
    const raw = capabilities.registeredAtRuntimeBy(request.capabilityId) !== undefined;
    const output = await jobs.submitAndWait(request.capabilityId, raw ? rawInput(request) : jobInput(request.body, request.contentType), {
      jobId: `req-${request.requestId.replace(/[^A-Za-z0-9_-]/g, '_')}`,
      timeoutMs: request.timeoutMs,
      // The gateway retries across orchestrators; a retry here would only hold the gateway's money longer.
      attempts: 1,
    });
    if (raw) return rawResult(output as CapabilityJobResponse);
    return { contentType: 'application/json', body: JSON.stringify(output ?? null) };
  };
}
