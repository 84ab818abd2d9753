/**
 * The gateway's calls to an orchestrator's BYOC stream routes
 * (go-livepeer byoc/stream_orchestrator.go): `POST {service_addr}/ai/stream/
 * start|stop|update|payment`, each with a freshly signed `Livepeer` header and,
 * when the credit needs it, `Livepeer-Payment`. The answer comes back raw
 * (status, headers, body): what a status means differs per route, so the
 * caller decides. A transport failure or timeout is JOB_UNREACHABLE.
 */
import { errors } from '@lpx/sdk';
import { request, type Dispatcher } from 'undici';
import type { GatewaySigner } from '../auth/gateway-signature.js';
import { CAPABILITY_HEADER } from './eth-address-header.js';
import { insecureOrchestratorAgent } from './job-client.js';
import { encodeJobRequestHeader, JOB_REQUEST_HEADER, signJobRequest, type JobRequest } from './job-request.js';

export type StreamRoute = '/ai/stream/start' | '/ai/stream/stop' | '/ai/stream/update' | '/ai/stream/payment';

/** go-livepeer signs stop requests with a 10 s timeout and payments with 70 s. */
export const STOP_TIMEOUT_SECONDS = 10;
export const PAYMENT_TIMEOUT_SECONDS = 70;
/** go-livepeer waits 10 s for a payment's answer; other routes timeout_seconds + 5 s. */
const PAYMENT_WAIT_MS = 10_000;
const RESPONSE_SLACK_MS = 5_000;

export interface StreamJob {
  /** JobRequest.id: the stream id on start; empty on the other routes, as go-livepeer sends. */
  readonly id: string;
  readonly request: string;
  readonly parameters: string;
  readonly capability: string;
  readonly timeoutSeconds: number;
}

export interface StreamCall {
  readonly serviceAddr: string;
  readonly route: StreamRoute;
  readonly job: StreamJob;
  readonly signer: GatewaySigner;
  readonly payment?: string | undefined;
  readonly body?: Buffer | string;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
}

export interface StreamAnswer {
  readonly url: string;
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

export function firstHeader(headers: StreamAnswer['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `Livepeer-Balance` as whole wei, when present and an integer. */
export function balanceOf(answer: StreamAnswer): bigint | undefined {
  const text = firstHeader(answer.headers, 'livepeer-balance')?.trim();
  return text !== undefined && /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}

export async function signStreamJob(signer: GatewaySigner, job: StreamJob): Promise<JobRequest> {
  return signJobRequest(signer, { id: job.id, request: job.request, parameters: job.parameters, capability: job.capability, timeout_seconds: job.timeoutSeconds });
}

export async function callStreamRoute(call: StreamCall): Promise<StreamAnswer> {
  const signed = await signStreamJob(call.signer, call.job);
  const headers: Record<string, string> = {
    [JOB_REQUEST_HEADER]: encodeJobRequestHeader(signed),
    [CAPABILITY_HEADER]: call.job.capability,
    'content-type': call.contentType ?? 'application/json',
  };
  if (call.payment !== undefined && call.payment !== '') headers['Livepeer-Payment'] = call.payment;
  const url = call.serviceAddr.replace(/\/+$/, '') + call.route;
  const waitMs = call.route === '/ai/stream/payment' ? PAYMENT_WAIT_MS : call.job.timeoutSeconds * 1000 + RESPONSE_SLACK_MS;
  const timeout = AbortSignal.timeout(waitMs);
  const signal = call.signal === undefined ? timeout : AbortSignal.any([call.signal, timeout]);
  try {
    const res = await request(url, {
      method: 'POST',
      headers,
      body: call.body ?? '',
      signal,
      dispatcher: call.dispatcher ?? insecureOrchestratorAgent(),
    });
    return { url, status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
  } catch (cause) {
    const what = timeout.aborted && call.signal?.aborted !== true ? `did not answer within ${waitMs} ms` : (cause as Error).message;
    throw errors.orchestrator.JOB_UNREACHABLE.create(`${url}: ${what}`, { cause, details: { url, retry: 'other-orchestrator' } });
  }
}
