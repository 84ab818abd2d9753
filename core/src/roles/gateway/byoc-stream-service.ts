/**
 * The gateway's BYOC streams (go-livepeer's `/process/stream/*`), in memory
 * in this gateway process, as go-livepeer keeps them: a restart ends them
 * (the orchestrators stop them when the payments stop). Shutting down stops
 * every running stream on its orchestrator first. A stream belongs to the
 * tenant that started it; to anyone else it does not exist. An ended stream
 * keeps its status (and reason) for `endedRetentionMs`, then is forgotten.
 */
import { randomBytes } from 'node:crypto';
import { errors } from '@lpx/sdk';
import { decodeJobRequestHeader, type JobRequest } from '../../network/byoc/index.js';
import { checkStreamId, parseRequestDetails, parseStartRequest, parseStreamParameters, pipelineParams, type StreamUrls } from '../../network/byoc/stream-types.js';
import type { StreamCharge } from './byoc-stream-payer.js';
import type { StreamSession, StreamWire } from './byoc-stream-session.js';
import { startStream } from './byoc-stream-starter.js';

export interface ByocStreamServiceDeps {
  readonly wire: StreamWire;
  /** Pool URLs to ask for tokens (go-livepeer asks every orchestrator it knows). */
  candidates(): Promise<readonly string[]>;
  /** The caller's tenant name (undefined on an open gateway); throws the 401. */
  authenticate(authorization: string | undefined): string | undefined;
  /** Throws when the tenant may not use the capability (403) or has no budget left (402). */
  admit(tenant: string | undefined, capabilityId: string): Promise<void>;
  chargeFor(tenant: string | undefined): StreamCharge | undefined;
  readonly endedRetentionMs?: number;
}

/** go-livepeer reads at most 10 MB of a start or update body. */
export const MAX_STREAM_BODY_BYTES = 10 << 20;
const DEFAULT_ENDED_RETENTION_MS = 5 * 60_000;

export interface StreamStatus {
  readonly stream_id: string;
  readonly state: 'starting' | StreamSession['state'];
  readonly capability: string;
  readonly orchestrator: string;
  readonly orchestrator_address: string;
  readonly whep_url: string;
  readonly started_at: string;
  readonly ended_at?: string;
  readonly reason?: string;
  readonly last_payment_at?: string;
  /** Wei the orchestrator last reported holding for us (Livepeer-Balance), exact digits. */
  readonly balance?: string;
  /** Wei charged to the tenant for this stream's tickets (their EV, rounded up), exact digits. */
  readonly charged_wei: string;
  readonly tickets_sent: number;
  readonly last_event?: unknown;
}

/** The unsigned `Livepeer` header of a client, checked as go-livepeer does before any search. */
function clientJob(header: string | undefined): JobRequest {
  const job = decodeJobRequestHeader(header);
  if (job.timeout_seconds <= 0) throw errors.byoc.STREAM_START_INVALID.create('no timeout_seconds set with request, timeout_seconds is required');
  return job;
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

export class ByocStreamService {
  readonly #deps: ByocStreamServiceDeps;
  readonly #streams = new Map<string, StreamSession>();
  readonly #starting = new Map<string, string | undefined>();
  #closed = false;

  constructor(deps: ByocStreamServiceDeps) {
    this.#deps = deps;
  }

  authenticate(authorization: string | undefined): string | undefined {
    return this.#deps.authenticate(authorization);
  }

  async start(tenant: string | undefined, livepeerHeader: string | undefined, body: Buffer, gatewayBase: string): Promise<StreamUrls> {
    if (this.#closed) throw errors.byoc.STREAM_NO_ORCHESTRATOR.create('the gateway is shutting down');
    const job = clientJob(livepeerHeader);
    const capability = job.capability.trim();
    if (capability === '') throw errors.byoc.STREAM_START_INVALID.create('the Livepeer header names no capability');
    parseRequestDetails(job.request);
    const parameters = parseStreamParameters(job.parameters);
    const startRequest = parseStartRequest(body);
    const params = pipelineParams(startRequest.params);
    if (startRequest.stream_name.endsWith('-out')) throw errors.byoc.STREAM_START_INVALID.create('a stream_name ending in "-out" names an output (go-livepeer ignores such starts)');
    let id = startRequest.stream_id === '' ? randomBytes(8).toString('hex') : startRequest.stream_id;
    if (startRequest.stream_name !== '') id = `${startRequest.stream_name}-${id}`;
    checkStreamId(id);
    await this.#deps.admit(tenant, `byoc/${capability}`);
    if (this.#streams.get(id)?.running === true || this.#starting.has(id)) throw errors.byoc.STREAM_EXISTS.create(`stream ${id} already exists on this gateway`);
    this.#starting.set(id, tenant);
    try {
      const session = await startStream(this.#deps.wire, await this.#deps.candidates(), {
        id,
        tenant,
        capability,
        request: job.request,
        parameters: job.parameters,
        timeoutSeconds: job.timeout_seconds,
        include: parameters.include,
        exclude: parameters.exclude,
        body: JSON.stringify({ params }),
        charge: this.#deps.chargeFor(tenant),
      });
      this.#streams.set(id, session);
      session.onEnd(() => this.#forgetLater(session));
      if (this.#closed) void session.end('stopped', 'the gateway is shutting down');
      return this.#urls(session, gatewayBase);
    } finally {
      this.#starting.delete(id);
    }
  }

  /** The caller's stream, running or recently ended; anyone else's is unknown. */
  get(id: string, tenant: string | undefined): StreamSession {
    const session = this.#streams.get(id);
    if (session === undefined || session.tenant !== tenant) throw errors.byoc.STREAM_NOT_FOUND.create(`no stream ${id} on this gateway`);
    return session;
  }

  /** POST {id}/update: the client's header must name this stream; the body goes to the orchestrator as is. */
  async update(session: StreamSession, livepeerHeader: string | undefined, body: Buffer, contentType: string | undefined) {
    const job = clientJob(livepeerHeader);
    const named = parseRequestDetails(job.request).streamId;
    if (named !== session.id) throw errors.byoc.STREAM_START_INVALID.create(`the Livepeer header's request must be {"stream_id":"${session.id}"}`);
    if (job.capability !== '' && job.capability !== session.capability) throw errors.byoc.STREAM_START_INVALID.create(`stream ${session.id} runs ${session.capability}, not ${job.capability}`);
    session.assertRunning();
    const answer = await session.call('/ai/stream/update', { timeoutSeconds: job.timeout_seconds, body, ...(contentType !== undefined ? { contentType } : {}), parameters: job.parameters || '{}' });
    return answer!;
  }

  async stop(session: StreamSession, body: Buffer): Promise<void> {
    if (session.running) await session.end('stopped', 'stopped by the client', body);
    this.#streams.delete(session.id);
  }

  status(session: StreamSession): StreamStatus {
    return {
      stream_id: session.id,
      state: session.state,
      capability: session.capability,
      orchestrator: session.orchestrator.serviceAddr,
      orchestrator_address: session.orchestrator.address,
      whep_url: '',
      started_at: iso(session.startedAt)!,
      ...(session.endedAt !== undefined ? { ended_at: iso(session.endedAt)! } : {}),
      ...(session.reason !== undefined ? { reason: session.reason } : {}),
      ...(session.lastPaymentAt !== undefined ? { last_payment_at: iso(session.lastPaymentAt)! } : {}),
      ...(session.balance !== undefined ? { balance: session.balance.toString() } : {}),
      charged_wei: session.chargedWei.toString(),
      tickets_sent: session.ticketsSent,
      ...(session.lastEvent !== undefined ? { last_event: session.lastEvent } : {}),
    };
  }

  get size(): number {
    return [...this.#streams.values()].filter((s) => s.running).length;
  }

  /** Stops every running stream on its orchestrator. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#streams.values()].map((session) => session.end('stopped', 'the gateway is shutting down')));
    this.#streams.clear();
  }

  #forgetLater(session: StreamSession): void {
    const timer = setTimeout(() => {
      if (this.#streams.get(session.id) === session) this.#streams.delete(session.id);
    }, this.#deps.endedRetentionMs ?? DEFAULT_ENDED_RETENTION_MS);
    timer.unref();
  }

  #urls(session: StreamSession, base: string): StreamUrls {
    const at = (what: string) => `${base}/process/stream/${session.id}/${what}`;
    return {
      stream_id: session.id,
      whip_url: '',
      whep_url: '',
      rtmp_url: '',
      rtmp_output_url: '',
      update_url: at('update'),
      status_url: at('status'),
      data_url: session.channels.data !== undefined ? at('data') : '',
      stop_url: at('stop'),
      ingest_url: session.channels.publish !== undefined ? at('ingest') : '',
      out_url: session.channels.subscribe !== undefined ? at('out') : '',
    };
  }
}
