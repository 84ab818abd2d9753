// A go-livepeer-style Live Runner client (test double of the Python/Go runner
// SDKs' client side, written from go-livepeer's doc/live-runner.md and its
// ai_http.go handlers): reserve a session, answer the 402 challenge by
// building tickets from `payment_params` (an OrchestratorInfo protobuf) with
// the kernel's TicketSender / GatewayPayer and a Livepeer-Segment signed by
// the payer for the challenge's manifest id, call the app, pay at
// `payment_url`, stop. It keeps the payment session of each manifest id.
import { Agent, request } from 'undici';
import type { LocalAccount } from 'viem';
import { decodeOrchestratorInfo } from '../../../../core/src/network/index.js';
import { emptySegData, encodeSegDataHeader, signSegment } from '../../../../core/src/network/segment/index.js';
import type { AuthToken } from '../../../../core/src/network/wire/types.js';
import { keccak256, type GatewayPayer, type OrchestratorSession, type PriceInfo } from '../../../../core/src/payments/index.js';

export const insecure = new Agent({ connect: { rejectUnauthorized: false } });

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly bytes: Buffer;
  readonly headers: Record<string, string | string[] | undefined>;
  json<T = Record<string, unknown>>(): T;
}

export async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const res = await request(url, { method: (init.method ?? 'GET') as 'GET', dispatcher: insecure, ...(init.headers !== undefined ? { headers: init.headers } : {}), ...(init.body !== undefined ? { body: init.body } : {}) });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: res.statusCode, text, bytes, headers: res.headers, json: <T>() => JSON.parse(text) as T };
}

export interface Challenge {
  readonly payment_params: string;
  readonly orchestrator: string;
  readonly manifest_id: string;
  readonly payment_url: string;
}

interface Paying {
  readonly session: OrchestratorSession;
  readonly authToken: AuthToken;
  readonly manifestId: string;
}

export interface PaidHeaders {
  readonly 'livepeer-payment': string;
  readonly 'livepeer-segment': string;
}

export class LiveRunnerClientDouble {
  readonly #paying = new Map<string, Paying>();

  constructor(private readonly payer?: { readonly account: LocalAccount; readonly gateway: GatewayPayer }) {}

  get address(): string {
    return this.payer!.account.address;
  }

  /** Adopts a challenge: ticket params at the runner's price, the manifest id and its auth token. */
  adopt(challenge: Challenge, price?: PriceInfo): Paying {
    const info = decodeOrchestratorInfo(Buffer.from(challenge.payment_params, 'base64'));
    if (info.ticketParams === undefined || info.priceInfo === undefined || info.authToken === undefined) throw new Error('payment_params without ticket params, price or auth token');
    if (info.authToken.sessionId !== challenge.manifest_id) throw new Error('the challenge auth token is not for its manifest id');
    // `price` lets a test pay at another expected price than the challenge's.
    const paying = { session: this.payer!.gateway.startSession(info.ticketParams, price ?? info.priceInfo, challenge.manifest_id), authToken: info.authToken, manifestId: challenge.manifest_id };
    this.#paying.set(challenge.manifest_id, paying);
    return paying;
  }

  /** Payment headers worth `units` at the session's price (at least one ticket), for `manifestId` (default: the challenge's). */
  async headers(manifestId: string, units: bigint, options: { segmentManifest?: string } = {}): Promise<PaidHeaders> {
    const paying = this.#paying.get(manifestId);
    if (paying === undefined) throw new Error(`no payment session for ${manifestId}`);
    const gateway = this.payer!.gateway;
    const prepared = await gateway.preparePayment(paying.session, gateway.fee(paying.session, units));
    prepared.update.sent();
    const segManifest = options.segmentManifest ?? paying.manifestId;
    const hash = keccak256(new Uint8Array(0));
    const sig = await signSegment(this.payer!.account, { manifestId: segManifest, seq: 0n, hash, profileNames: [] });
    const segment = encodeSegDataHeader({ ...emptySegData(), manifestId: segManifest, hash, authToken: paying.authToken, sig });
    return { 'livepeer-payment': prepared.header, 'livepeer-segment': segment };
  }

  /** POST …/session (or any app URL): the 402 challenge, then the paid retry; `tamper` edits the retry's headers. */
  async reserve(url: string, options: { units?: bigint; method?: string; tamper?: (headers: PaidHeaders, challenge: Challenge) => Promise<Record<string, string>> | Record<string, string> } = {}): Promise<{ answer: Answer; challenge?: Challenge }> {
    const method = options.method ?? 'POST';
    const first = await call(url, { method, headers: this.payer === undefined ? {} : { 'livepeer-payer-address': this.payer.account.address } });
    if (first.status !== 402) return { answer: first };
    const challenge = first.json<Challenge>();
    this.adopt(challenge);
    const headers = await this.headers(challenge.manifest_id, options.units ?? 1n);
    const sent = options.tamper === undefined ? { ...headers } : await options.tamper(headers, challenge);
    return { answer: await call(url, { method, headers: sent }), challenge };
  }

  async pay(paymentUrl: string, manifestId: string, units: bigint, options: { segmentManifest?: string } = {}): Promise<Answer> {
    return call(paymentUrl, { method: 'POST', headers: { ...(await this.headers(manifestId, units, options)) } });
  }
}
