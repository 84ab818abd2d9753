/**
 * Accepted paid work becomes a BullMQ job on the capability's queue, where the
 * orchestrator's workers (this process or others sharing Redis) take it. The
 * gateway's request id is the job id, so a retried request — the gateway lost
 * the response, or failed over and came back — joins the job already running
 * or returns its result instead of doing the work twice.
 */
import { isCapabilityId, type JobsService } from '@lpx/sdk';
import type { CapabilityRegistry } from '../../capabilities/index.js';

export interface DispatchRequest {
  readonly capabilityId: string;
  readonly requestId: string;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly timeoutMs: number;
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

export function workerDispatch(jobs: JobsService, _capabilities: CapabilityRegistry) {
  return async (request: DispatchRequest): Promise<DispatchResult> => {
    const output = await jobs.submitAndWait(request.capabilityId, jobInput(request.body, request.contentType), {
      jobId: `req-${request.requestId.replace(/[^A-Za-z0-9_-]/g, '_')}`,
      timeoutMs: request.timeoutMs,
      // The gateway retries across orchestrators; a retry here would only hold the gateway's money longer.
      attempts: 1,
    });
    return { contentType: 'application/json', body: JSON.stringify(output ?? null) };
  };
}
