/**
 * The gateway's side of the BYOC wire: fetch a JobToken, post a signed job.
 * Orchestrators serve self-signed certificates, so TLS is not verified (as
 * every go-livepeer client); HTTP/2 is tried first with HTTP/1.1 as fallback.
 *
 * A non-2xx answer becomes LPX_ERR_ORCHESTRATOR_JOB_REFUSED carrying the
 * status, the orchestrator's text and `retry` advice from go-livepeer's rules
 * (case-insensitive substrings of the text):
 * - `ticketparams expired` → 'same-orchestrator' (refresh the token, retry there);
 * - `invalid ticket sendernonce`, `insufficient capacity`, any 5xx → 'other-orchestrator';
 * - anything else → 'suspend'.
 * go-livepeer's BYOC gateway itself stops at a 4xx and hands it to its client;
 * the advice lets a router do better without changing what the orchestrator sees
 * (job-refusal.ts says which 4xx blame the request).
 *
 * With `events: true`, a 2xx `text/event-stream` answer is not read whole:
 * its lines come as the orchestrator writes them (`lines`), and a timeout or
 * broken connection while they come is thrown from the iteration.
 */
import { errors } from '@lpx/sdk';
import { Agent, request, type Dispatcher } from 'undici';
import type { GatewaySigner } from '../auth/gateway-signature.js';
import { CAPABILITY_HEADER, encodeEthAddressHeader, ETH_ADDRESS_HEADER, type JobSender } from './eth-address-header.js';
import { encodeJobRequestHeader, JOB_REQUEST_HEADER, signJobRequest } from './job-request.js';
import { decodeJobToken, type JobToken } from './job-token.js';
import { ERROR_CODE_HEADER } from './http-refusal.js';
import { readLines } from './sse-line-reader.js';
import { Deadline } from '../deadline.js';

/** go-livepeer's gateway waits timeout_seconds + 5 s for an orchestrator's answer. */
export const JOB_RESPONSE_SLACK_MS = 5_000;
/** go-livepeer's per-orchestrator token response timeout. */
export const TOKEN_TIMEOUT_MS = 500;

export type RetryAdvice = 'same-orchestrator' | 'other-orchestrator' | 'suspend';

export function retryAdvice(status: number, text: string): RetryAdvice {
  const lower = text.toLowerCase();
  if (lower.includes('ticketparams expired')) return 'same-orchestrator';
  if (lower.includes('invalid ticket sendernonce') || lower.includes('insufficient capacity') || status >= 500) return 'other-orchestrator';
  return 'suspend';
}

/** HTTP/2 when the orchestrator offers it (go-livepeer's client: ForceAttemptHTTP2), or HTTP/1.1 keep-alive. */
export type OrchestratorHttpVersion = '2' | '1.1';

const sharedAgents = new Map<OrchestratorHttpVersion, Agent>();

/**
 * One pooled insecure agent per process and HTTP version; pass your own
 * `dispatcher` to control its lifetime. HTTP/2 (the default) as go-livepeer
 * tries first; HTTP/1.1 keeps one connection per request in flight and costs
 * both ends less CPU per request in Node (ADR 0068).
 */
export function insecureOrchestratorAgent(version: OrchestratorHttpVersion = '2'): Agent {
  let agent = sharedAgents.get(version);
  if (agent === undefined) {
    agent = new Agent({ connect: { rejectUnauthorized: false }, allowH2: version === '2' });
    sharedAgents.set(version, agent);
  }
  return agent;
}

export interface PostJobOptions {
  readonly serviceUri: string;
  readonly capability: string;
  /** Appended after `/process/request/` (the worker route). */
  readonly subpath?: string;
  /** JSON strings, signed as sent. */
  readonly request: string;
  readonly parameters: string;
  readonly body: Buffer | string;
  readonly contentType: string;
  /** The job's timeout; sent as ceil(ms / 1000) timeout_seconds, waited for plus 5 s. */
  readonly timeoutMs: number;
  readonly signer: GatewaySigner;
  /** Livepeer-Payment header value; undefined for free or already-credited jobs. */
  readonly payment: string | undefined;
  /** JobRequest.id; reuse it on retries to the same orchestrator so the work runs once. */
  readonly requestId: string;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
  /** Hand a `text/event-stream` answer over line by line (`lines`) instead of reading it whole. */
  readonly events?: boolean;
}

export interface JobResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Empty when `lines` carries the answer. */
  readonly body: Buffer;
  /** Livepeer-Balance as whole wei, when the orchestrator sent a parsable one. */
  readonly balance: bigint | undefined;
  /**
   * With `events`, an event-stream answer's lines (line ends and a trailing
   * `\r` dropped, as Go's line scanner): read them to the end, or `return()`
   * to drop the connection.
   */
  readonly lines?: AsyncGenerator<string, void, undefined>;
}

function endpoint(serviceUri: string, path: string): string {
  return serviceUri.replace(/\/+$/, '') + path;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

interface SendOptions {
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: Buffer | string;
  readonly dispatcher?: Dispatcher;
}

interface Opened {
  readonly status: number;
  readonly headers: JobResponse['headers'];
  readonly body: AsyncIterable<Buffer> & { arrayBuffer(): Promise<ArrayBuffer>; destroy(): unknown };
  /** The coded error for a failure of this exchange, now or while its body is read. */
  readonly failure: (cause: unknown) => Error;
  /** The exchange is over (its body read or dropped): the deadline stops. */
  readonly end: () => void;
}

async function open(url: string, options: SendOptions, waitMs: number, signal: AbortSignal | undefined): Promise<Opened> {
  const deadline = new Deadline(waitMs, signal);
  const failure = (cause: unknown): Error => {
    if (deadline.timedOut && signal?.aborted !== true) {
      return errors.orchestrator.JOB_TIMEOUT.create(`${url} did not answer within ${waitMs} ms`, { cause, details: { url, retry: 'other-orchestrator' satisfies RetryAdvice } });
    }
    return errors.orchestrator.JOB_UNREACHABLE.create(`${url}: ${(cause as Error).message}`, { cause, details: { url, aborted: signal?.aborted === true, retry: 'other-orchestrator' satisfies RetryAdvice } });
  };
  try {
    const res = await request(url, {
      method: options.method,
      headers: options.headers,
      ...(options.body === undefined ? {} : { body: options.body }),
      signal: deadline.signal,
      dispatcher: options.dispatcher ?? insecureOrchestratorAgent(),
    });
    return { status: res.statusCode, headers: res.headers, body: res.body as unknown as Opened['body'], failure, end: () => deadline.end() };
  } catch (cause) {
    deadline.end();
    throw failure(cause);
  }
}

async function readWhole(res: Opened): Promise<Buffer> {
  try {
    return Buffer.from(await res.body.arrayBuffer());
  } catch (cause) {
    throw res.failure(cause);
  } finally {
    res.end();
  }
}

async function send(url: string, options: SendOptions, waitMs: number, signal: AbortSignal | undefined) {
  const res = await open(url, options, waitMs, signal);
  return { status: res.status, headers: res.headers, body: await readWhole(res) };
}

/** The answer's lines as they come; a failure while reading is the exchange's coded error. */
async function* linesOf(res: Opened): AsyncGenerator<string, void, undefined> {
  try {
    yield* readLines(res.body);
  } catch (cause) {
    throw res.failure(cause);
  } finally {
    res.body.destroy();
    res.end();
  }
}

function refused(url: string, status: number, body: Buffer, headers: JobResponse['headers']): never {
  const text = body.toString('utf8').trim();
  // An lpx orchestrator names its refusal in a header; go-livepeer ones send text only.
  const code = firstHeader(headers[ERROR_CODE_HEADER.toLowerCase()]);
  // go-livepeer (and lpx) send the sender's balance with a failed job's 500 too.
  const balance = firstHeader(headers['livepeer-balance'])?.trim();
  throw errors.orchestrator.JOB_REFUSED.create(`${url} answered ${status}: ${text.slice(0, 500)}`, {
    details: { url, status, text, retry: retryAdvice(status, text), ...(code !== undefined ? { code } : {}), ...(balance !== undefined && balance !== '' ? { balance } : {}) },
  });
}

export async function postJob(options: PostJobOptions): Promise<JobResponse> {
  const job = await signJobRequest(options.signer, {
    id: options.requestId,
    request: options.request,
    parameters: options.parameters,
    capability: options.capability,
    timeout_seconds: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
  });
  const headers: Record<string, string> = {
    [JOB_REQUEST_HEADER]: encodeJobRequestHeader(job),
    [CAPABILITY_HEADER]: options.capability,
    'content-type': options.contentType,
  };
  if (options.payment !== undefined && options.payment !== '') headers['Livepeer-Payment'] = options.payment;
  const url = endpoint(options.serviceUri, `/process/request/${options.subpath ?? ''}`);
  const res = await open(
    url,
    { method: 'POST', headers, body: options.body, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) },
    options.timeoutMs + JOB_RESPONSE_SLACK_MS,
    options.signal,
  );
  const ok = res.status >= 200 && res.status <= 299;
  if (ok && options.events === true && isEventStream(res.headers)) {
    // A stream's Livepeer-Payment-Balance is the balance before it; its last balance event says the rest.
    return { status: res.status, headers: res.headers, body: Buffer.alloc(0), balance: undefined, lines: linesOf(res) };
  }
  const body = await readWhole(res);
  if (!ok) refused(url, res.status, body, res.headers);
  const balanceText = firstHeader(res.headers['livepeer-balance'])?.trim();
  const balance = balanceText !== undefined && /^-?\d+$/.test(balanceText) ? BigInt(balanceText) : undefined;
  return { status: res.status, headers: res.headers, body, balance };
}

export function isEventStream(headers: JobResponse['headers']): boolean {
  return /text\/event-stream/i.test(firstHeader(headers['content-type']) ?? '');
}

export interface FetchJobTokenOptions {
  readonly serviceUri: string;
  readonly capability: string;
  /** From jobSenderFor(signer), computed once. */
  readonly sender: JobSender;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
}

export async function fetchJobToken(options: FetchJobTokenOptions): Promise<JobToken> {
  const url = endpoint(options.serviceUri, '/process/token');
  const res = await send(
    url,
    {
      method: 'GET',
      headers: { [ETH_ADDRESS_HEADER]: encodeEthAddressHeader(options.sender), [CAPABILITY_HEADER]: options.capability },
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    },
    options.timeoutMs ?? TOKEN_TIMEOUT_MS,
    options.signal,
  );
  if (res.status !== 200) refused(url, res.status, res.body, res.headers);
  return decodeJobToken(res.body.toString('utf8'));
}
