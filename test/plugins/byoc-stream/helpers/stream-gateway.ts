// A go-livepeer-style BYOC stream gateway, scripted (byoc/stream_gateway.go's
// calls to an orchestrator): it signs each JobRequest with a real key
// (`Livepeer` header), pays with real tickets from the token's ticket params
// (`Livepeer-Payment`) and POSTs /ai/stream/start|stop|update|payment over the
// node's TLS door, as a go-livepeer gateway does.
import type { LocalAccount } from 'viem';
import { encodeJobRequestHeader, fetchJobToken, insecureOrchestratorAgent, JOB_REQUEST_HEADER, jobSenderFor, signJobRequest, type JobToken } from '../../../../core/src/network/byoc/index.js';
import { paymentFromBatch, paymentHeader, Rational, ticketEV, type TicketSender } from '../../../../core/src/payments/index.js';

export interface StreamReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

export interface StreamCall {
  readonly capability: string;
  readonly id?: string;
  readonly request?: string;
  readonly parameters?: string;
  readonly body?: string;
  readonly payment?: string;
  /** Change the header after signing (a forged request). */
  readonly tamper?: (fields: Record<string, unknown>) => void;
}

export class ScriptedStreamGateway {
  constructor(
    readonly uri: string,
    readonly signer: LocalAccount,
    readonly tickets?: TicketSender,
  ) {}

  async token(capability: string): Promise<JobToken> {
    return fetchJobToken({ serviceUri: this.uri, capability, sender: await jobSenderFor(this.signer), timeoutMs: 10_000 });
  }

  /** `count` tickets at the token's params and price; what they credit (EV × count, exact). */
  async payment(capability: string, count: number): Promise<{ header: string; credited: Rational }> {
    if (this.tickets === undefined) throw new Error('this gateway has no ticket sender');
    const token = await this.token(capability);
    const params = token.ticketParams!;
    const batch = await this.tickets.createTicketBatch(this.tickets.startSession(params), count);
    return { header: paymentHeader(paymentFromBatch(batch, token.price!)), credited: ticketEV(params.faceValue, params.winProb).mulInt(BigInt(count)) };
  }

  async post(route: 'start' | 'stop' | 'update' | 'payment', call: StreamCall): Promise<StreamReply> {
    const job = await signJobRequest(this.signer, {
      id: call.id ?? '',
      request: call.request ?? '{}',
      parameters: call.parameters ?? '{}',
      capability: call.capability,
      timeout_seconds: 30,
    });
    let header = encodeJobRequestHeader(job);
    if (call.tamper !== undefined) {
      const fields = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Record<string, unknown>;
      call.tamper(fields);
      header = Buffer.from(JSON.stringify(fields), 'utf8').toString('base64');
    }
    const url = new URL(`/ai/stream/${route}`, this.uri);
    const res = await insecureOrchestratorAgent().request({
      origin: url.origin,
      path: url.pathname,
      method: 'POST',
      body: call.body ?? '',
      headers: { [JOB_REQUEST_HEADER]: header, 'content-type': 'application/json', ...(call.payment !== undefined ? { 'Livepeer-Payment': call.payment } : {}) },
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  start(capability: string, id: string, options: { readonly parameters?: string; readonly body?: string; readonly payment?: string } = {}): Promise<StreamReply> {
    return this.post('start', { capability, id, ...options });
  }

  stop(capability: string, streamId: string, body = 'client stopped'): Promise<StreamReply> {
    return this.post('stop', { capability, request: JSON.stringify({ stream_id: streamId }), body });
  }

  update(capability: string, streamId: string, body: string): Promise<StreamReply> {
    return this.post('update', { capability, request: JSON.stringify({ stream_id: streamId }), body });
  }

  pay(capability: string, streamId: string, payment: string | undefined): Promise<StreamReply> {
    return this.post('payment', { capability, request: JSON.stringify({ stream_id: streamId }), ...(payment !== undefined ? { payment } : {}) });
  }
}

/** Whether a trickle channel URL names a live channel on the node (`GET {url}/next`: 200, or 404 once removed). */
export async function channelExists(url: string): Promise<boolean> {
  const parsed = new URL(`${url}/next`);
  const res = await insecureOrchestratorAgent().request({ origin: parsed.origin, path: parsed.pathname, method: 'GET' });
  await res.body.text();
  return res.statusCode === 200;
}

export function wholeWei(value: Rational): bigint {
  return value.num / value.den;
}
