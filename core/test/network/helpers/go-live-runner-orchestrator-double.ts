/**
 * A TEST DOUBLE of a go-livepeer orchestrator's Live Runner client endpoints
 * (doc/live-runner.md, server/ai_http.go), written from the facts, standing
 * in for the real binary: `GET /discovery`, `POST /apps/{route}/session`
 * (402 challenge `{payment_params, orchestrator, manifest_id, payment_url}`
 * for a payer named in `Livepeer-Payer-Address`, then the paid reservation
 * whose manifest id must be the auth token's session id), the session's
 * `/payment` (protobuf PaymentResult with fresh params; 409 for a fixed
 * price), `/stop` (204, 404 unknown), the session proxy and single-shot
 * calls, with an app behind it (HTTP JSON, echo and SSE) on its own server.
 *
 * Tickets are validated and credited by lpx's PaymentProcessor with a real
 * Recipient (the ticket cryptography is checked against go-livepeer's
 * vectors elsewhere); the segment credentials by lpx's verifier and real
 * auth tokens. Time-priced sessions are debited like go-livepeer's
 * LivePaymentProcessor: every `debitIntervalMs`, the whole units elapsed at
 * the reservation's expected price; a session that cannot pay is released.
 */
import { randomBytes } from 'node:crypto';
import { startLiveApp } from './live-runner-app-double.js';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Test } from 'tap';
import { request as undiciRequest } from 'undici';
import type { LiveRunnerMode, LiveRunnerPriceUnit } from '@lpx/sdk';
import { emptyLivepeerCapabilities } from '../../../src/capabilities/index.js';
import { AuthTokenIssuer, encodeOrchestratorInfo, type OrchestratorInfo } from '../../../src/network/index.js';
import { encodePaymentResult, verifySegmentCredentials } from '../../../src/network/segment/index.js';
import { PIXELS_720P_PER_SECOND, pipeUpgrade, refuseUpgrade } from '../../../src/network/live-runner/index.js';
import { Balances, decodePaymentHeaderValue, parseAddress, PaymentProcessor, PrivateKeyTicketSigner, Rational, Recipient, SenderMonitor, type Address } from '../../../src/payments/index.js';
import { FixedGasPrice, InMemoryWinningTicketSink, type InMemoryRoundsSource, type InMemorySenderInfoSource } from '../../../src/payments/testing/index.js';

export interface GoLiveRunner {
  readonly route: string;
  readonly app: string;
  readonly mode: LiveRunnerMode;
  readonly capacity: number;
  /** Wei per unit; absent: free. */
  readonly price?: { readonly price: bigint; readonly unit: LiveRunnerPriceUnit };
}

export type GoLiveMode = 'ok' | 'busy' | 'no-discovery' | 'malformed-challenge' | 'down';

export interface GoLiveSession {
  readonly id: string;
  readonly route: string;
  readonly sender?: Address;
  readonly price?: bigint;
  readonly unit?: LiveRunnerPriceUnit;
  readonly startedAt: number;
  stoppedAt?: number;
  /** Wei credited by accepted tickets. */
  credited: Rational;
  /** Units debited so far. */
  debitedUnits: bigint;
  payments: number;
  paymentsAfterStop: number;
  releasedForPayment: boolean;
  timer?: NodeJS.Timeout;
}

export interface GoLiveChain {
  readonly rounds: InMemoryRoundsSource;
  readonly senderInfo: InMemorySenderInfoSource;
}

const PROXIED_OUT = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'livepeer-payment', 'livepeer-segment', 'livepeer-payer-address']);

function unitsPerSecond(unit: LiveRunnerPriceUnit): bigint {
  return unit === '720p-pixel-seconds' ? PIXELS_720P_PER_SECOND : 1n;
}

export class GoLiveRunnerOrchestratorDouble {
  uri = '';
  appUri = '';
  mode: GoLiveMode = 'ok';
  /** The challenge quotes this instead of the runner's price (an orchestrator that raised its price since discovery). */
  challengePrice: bigint | undefined;
  debitIntervalMs = 200;
  readonly sessions = new Map<string, GoLiveSession>();
  /** Every session ever reserved, stopped ones included. */
  readonly history: GoLiveSession[] = [];
  readonly challenges: string[] = [];
  /** Requests the app behind it received. */
  appRequests = 0;
  readonly address: Address;
  readonly recipient: Recipient;
  readonly processor: PaymentProcessor;
  readonly authTokens = new AuthTokenIssuer();
  readonly #runners: GoLiveRunner[];

  constructor(chain: GoLiveChain, runners: readonly GoLiveRunner[]) {
    this.#runners = [...runners];
    this.address = new PrivateKeyTicketSigner(randomBytes(32)).address;
    const senderMonitor = new SenderMonitor({ claimant: this.address }, chain.rounds, chain.senderInfo);
    this.recipient = new Recipient({ address: this.address, economics: { ev: 1_000_000_000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } }, { rounds: chain.rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor });
    this.processor = new PaymentProcessor({ recipient: this.recipient, balances: new Balances(), sink: new InMemoryWinningTicketSink(), rounds: chain.rounds, senderMonitor });
  }

  /** What GetOrchestrator answers (the pool's view): no capabilities of note, just the service URI. */
  info(): OrchestratorInfo {
    return { transcoder: this.uri, address: this.address, hardware: [], storage: [], capabilitiesPrices: [], nodes: [], authToken: this.authTokens.issue() };
  }

  #runner(route: string): GoLiveRunner | undefined {
    return this.#runners.find((r) => r.route === route);
  }

  #used(route: string): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.route === route) n++;
    return n;
  }

  async #challengeInfo(sender: Address, price: bigint): Promise<OrchestratorInfo> {
    const params = await this.recipient.ticketParams(sender, Rational.of(price));
    const token = this.authTokens.issue();
    return { transcoder: this.uri, ticketParams: params, priceInfo: { pricePerUnit: price, pixelsPerUnit: 1n }, address: this.address, authToken: token, hardware: [], storage: [], capabilitiesPrices: [], nodes: [] };
  }

  async #challenge(request: FastifyRequest, reply: FastifyReply, runner: GoLiveRunner): Promise<FastifyReply> {
    let sender: Address;
    try {
      sender = parseAddress(String(request.headers['livepeer-payer-address'] ?? ''));
    } catch {
      return reply.status(402).type('application/json').send({ error: { message: 'invalid live runner payment signer address' } });
    }
    if (this.mode === 'malformed-challenge') return reply.status(402).type('application/json').send({ payment_params: '!!not base64!!', orchestrator: this.uri, manifest_id: 'x', payment_url: `${this.uri}/x` });
    const info = await this.#challengeInfo(sender, this.challengePrice ?? runner.price!.price);
    const manifestId = info.authToken!.sessionId;
    this.challenges.push(manifestId);
    return reply
      .status(402)
      .type('application/json')
      .send({ payment_params: Buffer.from(encodeOrchestratorInfo(info)).toString('base64'), orchestrator: this.uri, manifest_id: manifestId, payment_url: `${this.uri}/apps/${runner.route}/session/${manifestId}/payment` });
  }

  /** go-livepeer's reservePaidLiveRunnerSession: credentials, manifest = auth session, fixed price check, capacity, payment. */
  async #paidReserve(request: FastifyRequest, reply: FastifyReply, runner: GoLiveRunner): Promise<GoLiveSession | undefined> {
    const text = (status: number, message: string) => reply.status(status).type('text/plain').send(`${message}\n`);
    let payment;
    try {
      payment = decodePaymentHeaderValue(String(request.headers['livepeer-payment'] ?? ''));
    } catch (error) {
      text(402, (error as Error).message);
      return undefined;
    }
    let creds;
    try {
      creds = verifySegmentCredentials(String(request.headers['livepeer-segment'] ?? ''), { sender: payment.sender, authTokens: this.authTokens, orchestratorCapabilities: () => emptyLivepeerCapabilities(), hasCapacity: () => true });
    } catch (error) {
      text(403, (error as Error).message);
      return undefined;
    }
    if (creds.manifestId !== creds.sessionId) {
      text(403, 'mismatched manifest and auth token');
      return undefined;
    }
    const price = runner.price!;
    const expected = payment.expectedPrice;
    if (price.unit === 'fixed' && (expected === undefined || expected.pricePerUnit !== price.price || expected.pixelsPerUnit !== 1n)) {
      text(400, 'payment price does not match live runner price');
      return undefined;
    }
    if (this.mode === 'busy' || this.#used(runner.route) >= runner.capacity) {
      text(503, 'insufficient capacity');
      return undefined;
    }
    let receipt;
    try {
      receipt = await this.processor.processPayment(payment, creds.manifestId);
    } catch (error) {
      text(400, (error as Error).message);
      return undefined;
    }
    const sessionPrice = expected?.pricePerUnit ?? price.price;
    const session: GoLiveSession = { id: creds.manifestId, route: runner.route, sender: payment.sender!, price: sessionPrice, unit: price.unit, startedAt: Date.now(), credited: receipt.credited, debitedUnits: 0n, payments: 1, paymentsAfterStop: 0, releasedForPayment: false };
    this.#open(session);
    if (price.unit === 'fixed') {
      session.debitedUnits = 1n;
      await this.processor.debit(session.sender!, session.id, 1n, Rational.of(sessionPrice));
    } else this.#startDebits(session);
    return session;
  }

  #open(session: GoLiveSession): void {
    this.sessions.set(session.id, session);
    this.history.push(session);
  }

  #startDebits(session: GoLiveSession): void {
    const unit = session.unit!;
    const tick = async (): Promise<void> => {
      if (!this.sessions.has(session.id)) return;
      // Whole units since the start, minus those already debited (go-livepeer carries the fraction over).
      const due = (BigInt(Date.now() - session.startedAt) * unitsPerSecond(unit)) / 1000n - session.debitedUnits;
      if (due <= 0n) return;
      const fee = Rational.of(session.price! * due);
      const balance = (await this.processor.balance(session.sender!, session.id)) ?? Rational.ZERO;
      if (balance.lt(fee)) {
        session.releasedForPayment = true;
        this.#release(session.id);
        return;
      }
      await this.processor.debit(session.sender!, session.id, due, Rational.of(session.price!));
      session.debitedUnits += due;
    };
    session.timer = setInterval(() => void tick(), this.debitIntervalMs);
  }

  /** Releases a session as the orchestrator would on its own (runner gone, expiry). */
  release(id: string): boolean {
    return this.#release(id);
  }

  #release(id: string): boolean {
    const session = this.sessions.get(id);
    if (session === undefined) return false;
    if (session.timer !== undefined) clearInterval(session.timer);
    session.stoppedAt = Date.now();
    this.sessions.delete(id);
    return true;
  }

  async #proxy(request: FastifyRequest, reply: FastifyReply, route: string, sessionId: string, path: string): Promise<FastifyReply> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) if (v !== undefined && !PROXIED_OUT.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    headers['livepeer-runner-route'] = route;
    headers['livepeer-session-id'] = sessionId;
    const q = request.url.indexOf('?');
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : (request.body as Readable | undefined) ?? null;
    let upstream;
    try {
      upstream = await undiciRequest(`${this.appUri}/${path}${q >= 0 ? request.url.slice(q) : ''}`, { method: request.method as 'GET', headers, body });
    } catch (error) {
      return reply.status(502).type('text/plain').send(`${(error as Error).message}\n`);
    }
    reply.hijack();
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(upstream.headers)) if (v !== undefined && k !== 'connection' && k !== 'transfer-encoding') out[k] = v;
    reply.raw.writeHead(upstream.statusCode, out);
    upstream.body.pipe(reply.raw);
    await new Promise<void>((resolve) => reply.raw.on('close', resolve));
    return reply;
  }

  async start(t: Test): Promise<this> {
    const behind = await startLiveApp(t, () => this.appRequests++);
    this.appUri = behind.uri;
    const app = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_r, payload, done) => done(null, payload));
    app.addHook('onRequest', async (request, reply) => {
      if (this.mode === 'down') reply.raw.destroy();
    });
    app.get('/discovery', async (_request, reply) => {
      if (this.mode === 'no-discovery') return reply.status(404).type('text/plain').send('live runners are not supported\n');
      const runners = this.#runners.map((r) => ({
        url: r.mode === 'persistent' ? `${this.uri}/apps/${r.route}/session` : `${this.uri}/apps/${r.route}/app`,
        app: r.app,
        mode: r.mode,
        capacity: r.capacity,
        capacity_used: this.#used(r.route),
        capacity_available: Math.max(0, r.capacity - this.#used(r.route)),
        ...(r.price !== undefined ? { price_info: { price: '__PRICE__', currency: 'wei', unit: r.price.unit } } : {}),
      }));
      // Prices as bare JSON numbers, as go-livepeer's json.Number writes them (possibly beyond 2^53).
      let body = JSON.stringify([{ address: this.uri, runners }]);
      for (const r of this.#runners) if (r.price !== undefined) body = body.replace('"__PRICE__"', r.price.price.toString());
      return reply.type('application/json').send(body);
    });
    app.post<{ Params: { route: string } }>('/apps/:route/session', async (request, reply) => {
      const runner = this.#runner(request.params.route);
      if (runner === undefined) return reply.status(404).type('text/plain').send('runner not found\n');
      if (runner.mode !== 'persistent') return reply.status(400).type('text/plain').send('only persistent runners have sessions\n');
      if (runner.price === undefined) {
        if (this.mode === 'busy' || this.#used(runner.route) >= runner.capacity) return reply.status(503).type('text/plain').send('insufficient capacity\n');
        const session: GoLiveSession = { id: randomBytes(8).toString('hex'), route: runner.route, startedAt: Date.now(), credited: Rational.ZERO, debitedUnits: 0n, payments: 0, paymentsAfterStop: 0, releasedForPayment: false };
        this.#open(session);
        return this.#sessionReply(reply, runner, session);
      }
      if (request.headers['livepeer-payment'] === undefined && request.headers['livepeer-segment'] === undefined) return this.#challenge(request, reply, runner);
      const session = await this.#paidReserve(request, reply, runner);
      return session === undefined ? reply : this.#sessionReply(reply, runner, session);
    });
    app.post<{ Params: { route: string; sid: string } }>('/apps/:route/session/:sid/payment', async (request, reply) => {
      const text = (status: number, message: string) => reply.status(status).type('text/plain').send(`${message}\n`);
      const session = this.history.find((s) => s.id === request.params.sid && s.route === request.params.route);
      if (session === undefined || !this.sessions.has(session.id)) {
        if (session !== undefined) session.paymentsAfterStop++;
        return text(404, 'session not found');
      }
      if (session.unit === 'fixed') return text(409, 'fixed-price live runner sessions do not accept follow-up payments');
      let payment;
      try {
        payment = decodePaymentHeaderValue(String(request.headers['livepeer-payment'] ?? ''));
      } catch (error) {
        return text(402, (error as Error).message);
      }
      let creds;
      try {
        creds = verifySegmentCredentials(String(request.headers['livepeer-segment'] ?? ''), { sender: payment.sender, authTokens: this.authTokens, orchestratorCapabilities: () => emptyLivepeerCapabilities(), hasCapacity: () => true });
      } catch (error) {
        return text(403, (error as Error).message);
      }
      if (creds.manifestId !== session.id) return text(403, 'mismatched session and payment manifest');
      const fresh = await this.#challengeInfo(payment.sender!, session.price!);
      try {
        const receipt = await this.processor.processPayment(payment, creds.manifestId);
        session.credited = session.credited.add(receipt.credited);
        session.payments++;
      } catch (error) {
        return text(400, (error as Error).message);
      }
      return reply.type('application/octet-stream').send(Buffer.from(encodePaymentResult({ ...fresh, authToken: creds.authToken })));
    });
    app.post<{ Params: { route: string; sid: string } }>('/apps/:route/session/:sid/stop', async (request, reply) => {
      return this.#release(request.params.sid) ? reply.status(204).send() : reply.status(404).type('text/plain').send('session not found\n');
    });
    app.all<{ Params: { route: string; sid: string; '*': string } }>('/apps/:route/session/:sid/app/*', async (request, reply) => {
      if (!this.sessions.has(request.params.sid)) return reply.status(404).type('text/plain').send('session not found\n');
      return this.#proxy(request, reply, request.params.route, request.params.sid, request.params['*']);
    });
    app.all<{ Params: { route: string; '*': string } }>('/apps/:route/app/*', async (request, reply) => {
      const runner = this.#runner(request.params.route);
      if (runner === undefined) return reply.status(404).type('text/plain').send('runner not found\n');
      if (runner.mode !== 'single-shot') return reply.status(400).type('text/plain').send('runner is not single-shot\n');
      let session: GoLiveSession | undefined;
      if (runner.price === undefined) {
        if (this.mode === 'busy' || this.#used(runner.route) >= runner.capacity) return reply.status(503).type('text/plain').send('insufficient capacity\n');
        session = { id: randomBytes(8).toString('hex'), route: runner.route, startedAt: Date.now(), credited: Rational.ZERO, debitedUnits: 0n, payments: 0, paymentsAfterStop: 0, releasedForPayment: false };
        this.#open(session);
      } else {
        if (request.headers['livepeer-payment'] === undefined && request.headers['livepeer-segment'] === undefined) {
          (request.body as Readable | undefined)?.resume();
          return this.#challenge(request, reply, runner);
        }
        session = await this.#paidReserve(request, reply, runner);
        if (session === undefined) return reply;
      }
      try {
        return await this.#proxy(request, reply, runner.route, session.id, request.params['*']);
      } finally {
        this.#release(session.id);
      }
    });
    // go-livepeer's reverse proxy keeps WebSocket upgrades.
    app.server.on('upgrade', (request, socket, head) => {
      const match = /^\/apps\/([^/]+)\/session\/([^/]+)\/app\/([^?]*)(\?.*)?$/.exec(request.url ?? '');
      if (match === null || !this.sessions.has(match[2]!)) return refuseUpgrade(socket, 404, 'session not found\n');
      pipeUpgrade(request, socket, head, new URL(`${this.appUri}/${match[3]!}${match[4] ?? ''}`));
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    t.teardown(async () => {
      for (const id of [...this.sessions.keys()]) this.#release(id);
      await app.close();
    });
    this.uri = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    return this;
  }

  #sessionReply(reply: FastifyReply, runner: GoLiveRunner, session: GoLiveSession): FastifyReply {
    const control = `${this.uri}/apps/${runner.route}/session/${session.id}`;
    return reply.type('application/json').send({ session_id: session.id, app_url: `${control}/app`, control_url: control });
  }

  /** Wei credited to `session` in accepted tickets. */
  creditedTo(id: string): Rational {
    return this.history.find((s) => s.id === id)?.credited ?? Rational.ZERO;
  }
}
