/**
 * The gateway's Live Runner routing: reserve a persistent session on the
 * best orchestrator offering the app, or make one single-shot call, paying
 * with probabilistic tickets, failing over to the next orchestrator before
 * anything reached the app:
 * - transport errors and 5xx suspend the orchestrator (503 — no capacity —
 *   does not: it is busy, not broken); 404 (the runner went away), a
 *   challenge above the price ceiling and a refused payment move on;
 * - the tenant's spent budget and an unfunded gateway stop at once.
 * A session is paid in the background (LivePaymentLoop) until it is stopped
 * — by the client, the gateway's shutdown, or the orchestrator releasing it —
 * and never after.
 */
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { errors, isLpxError, type LiveRunnerMode, type SelectionAlgorithm } from '@lpx/sdk';
import type { PersonalSigner } from '../../network/index.js';
import {
  callLiveApp,
  challengeOf,
  LivePaymentLoop,
  refusalOf,
  reserveLiveSession,
  stopLiveSession,
  type AppRequest,
  type DiscoveredRunner,
  type LiveRunnerChallenge,
  type LiveRunnerSessionReply,
} from '../../network/live-runner/index.js';
import type { LiveRunnerDirectory, LiveRunnerOffer } from './live-runner-directory.js';
import { livePayer, type LivePayer } from './live-runner-payer.js';
import { pickOffer } from './live-runner-pick.js';
import { ceilingFor, priceTooHigh, withinCeiling, type CeilingInputs } from './live-runner-price.js';
import type { ChargeTenant, SegmentPayments } from './segment-payments.js';

export interface LiveRunnerRouterDeps {
  readonly directory: Pick<LiveRunnerDirectory, 'offers' | 'refresh'>;
  readonly algorithm: SelectionAlgorithm;
  /** Undefined on a gateway that does not pay (offchain): priced runners are not used. */
  readonly payments: SegmentPayments | undefined;
  readonly signer: PersonalSigner;
  /** 0x address sent as Livepeer-Payer-Address. */
  readonly payer: string;
  isSuspended(uri: string): boolean;
  suspend(uri: string, reason: string): void;
  chargeFor(tenant: string | undefined): ChargeTenant | undefined;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly intervalMs?: number;
  readonly aheadSeconds?: number;
  onAttemptFailed?(event: { uri: string; error: unknown; action: string }): void;
  onPaid?(tickets: number, uri: string): void;
  onSessionEnded?(event: { id: string; uri: string; reason: Error }): void;
}

export interface LiveSession {
  readonly id: string;
  readonly app: string;
  readonly tenant: string | undefined;
  readonly orchestrator: string;
  readonly runner: DiscoveredRunner;
  readonly reply: LiveRunnerSessionReply;
  readonly loop: LivePaymentLoop | undefined;
  readonly payer: LivePayer | undefined;
}

export interface ReserveRequest {
  readonly app: string;
  readonly tenant: string | undefined;
  readonly ceilings: CeilingInputs;
  /** Runners of the app the caller can use (default: all). */
  readonly accept?: (runner: DiscoveredRunner) => boolean;
}

type FailoverAction = 'stop' | 'try-another' | 'suspend-and-try-another';

function statusOf(error: unknown): number | undefined {
  const status = (error as { details?: { status?: unknown } } | undefined)?.details?.status;
  return typeof status === 'number' ? status : undefined;
}

export function liveRunnerFailover(error: unknown): FailoverAction {
  if (errors.gateway.BUDGET_EXHAUSTED.is(error) || (isLpxError(error) && error.code === errors.payments.SENDER_NOT_FUNDED.code)) return 'stop';
  if (errors.gateway.PRICE_TOO_HIGH.is(error)) return 'try-another';
  const status = statusOf(error);
  if (status === 503 || status === 404) return 'try-another';
  return 'suspend-and-try-another';
}

/** The reservation's payment; a failure to make it closes the ticket session (nothing left). */
async function firstPayment(loop: LivePaymentLoop, payer: LivePayer): ReturnType<LivePaymentLoop['initial']> {
  try {
    return await loop.initial();
  } catch (error) {
    payer.close();
    throw error;
  }
}

/** Statuses an orchestrator answers itself before the app is reached (go-livepeer's single-shot handler): safe to try elsewhere. */
const BEFORE_APP = new Set([402, 403, 404, 503]);

export class LiveRunnerRouter {
  readonly #deps: LiveRunnerRouterDeps;
  readonly #sessions = new Map<string, LiveSession>();

  constructor(deps: LiveRunnerRouterDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The tenant's session `id` of `app`; another tenant's answers as a missing one. */
  get(id: string, app: string, tenant: string | undefined): LiveSession {
    const session = this.#sessions.get(id);
    if (session === undefined || session.app !== app || session.tenant !== tenant) throw errors.liveRunner.SESSION_UNKNOWN.create(`no session ${id} of ${app} on this gateway`);
    return session;
  }

  async #tryEach<T>(app: string, mode: LiveRunnerMode, ceilings: CeilingInputs, attempt: (offer: LiveRunnerOffer) => Promise<T>, accept?: (runner: DiscoveredRunner) => boolean): Promise<T & { orchestrator: string }> {
    await this.#deps.directory.refresh();
    const exclude = new Set<string>();
    let lastError: unknown;
    for (let tried = 0; tried < this.#deps.maxAttempts; tried++) {
      let offer: LiveRunnerOffer;
      try {
        offer = pickOffer({ directory: this.#deps.directory, algorithm: this.#deps.algorithm, isSuspended: (uri) => this.#deps.isSuspended(uri) }, { app, mode, ceilings, exclude, ...(accept !== undefined ? { accept } : {}) });
      } catch (error) {
        if (lastError === undefined) throw error;
        break;
      }
      try {
        return { ...(await attempt(offer)), orchestrator: offer.uri };
      } catch (error) {
        lastError = error;
        const action = liveRunnerFailover(error);
        this.#deps.onAttemptFailed?.({ uri: offer.uri, error, action });
        if (action === 'stop') throw error;
        if (action === 'suspend-and-try-another') this.#deps.suspend(offer.uri, error instanceof Error ? error.message : String(error));
        exclude.add(offer.uri);
      }
    }
    if (errors.gateway.PRICE_TOO_HIGH.is(lastError) && exclude.size === 1) throw lastError;
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw errors.liveRunner.CLIENT_FAILED.create(`no orchestrator offering ${app} could serve it after ${exclude.size} tries: ${reason}`, {
      ...(lastError instanceof Error ? { cause: lastError } : {}),
      details: { app, tried: exclude.size, excluded: [...exclude] },
    });
  }

  /** Checks the challenge's price against the ceiling before anything is paid. */
  #payerFor(offer: LiveRunnerOffer, challenge: LiveRunnerChallenge, ceilings: CeilingInputs, tenant: string | undefined): { payer: LivePayer; loop: LivePaymentLoop; ended: { handler?: (reason: Error) => void } } {
    const payments = this.#deps.payments;
    if (payments === undefined) throw errors.liveRunner.CLIENT_FAILED.create(`${offer.runner.url} asks to be paid, and this gateway does not pay (no chain configured)`, { details: { status: 402 } });
    const unit = offer.runner.price?.unit;
    if (unit === undefined) throw errors.liveRunner.CLIENT_FAILED.create(`${offer.runner.url} sent a payment challenge but advertises no price unit`, { details: { status: 402 } });
    const ceiling = ceilingFor(unit, ceilings);
    if (!withinCeiling(challenge.price, ceiling)) throw priceTooHigh(`the challenge of ${offer.runner.url}`, challenge.price, unit, ceiling!);
    const payer = livePayer({ payments, signer: this.#deps.signer, charge: this.#deps.chargeFor(tenant) }, offer.uri, challenge);
    const ended: { handler?: (reason: Error) => void } = {};
    const loop = new LivePaymentLoop({
      port: payer.port,
      unit,
      paymentUrl: challenge.paymentUrl,
      timeoutMs: this.#deps.timeoutMs,
      ...(this.#deps.intervalMs !== undefined ? { intervalMs: this.#deps.intervalMs } : {}),
      ...(this.#deps.aheadSeconds !== undefined ? { aheadSeconds: this.#deps.aheadSeconds } : {}),
      onPaid: (tickets) => {
        if (tickets > 0) this.#deps.onPaid?.(tickets, offer.uri);
      },
      onEnded: (reason) => ended.handler?.(reason),
    });
    return { payer, loop, ended };
  }

  /** Reserves a persistent session of `app` and keeps it paid. */
  async reserve(request: ReserveRequest): Promise<LiveSession> {
    const reserved = await this.#tryEach(request.app, 'persistent', request.ceilings, async (offer) => {
      const first = await reserveLiveSession(offer.runner.url, { payer: this.#deps.payer, timeoutMs: this.#deps.timeoutMs });
      if (first.kind === 'session') return { reply: first.session, loop: undefined, payer: undefined, offer, initial: undefined, ended: undefined };
      const { payer, loop, ended } = this.#payerFor(offer, first.challenge, request.ceilings, request.tenant);
      const initial = await firstPayment(loop, payer);
      try {
        const paid = await reserveLiveSession(offer.runner.url, { paid: initial.headers, timeoutMs: this.#deps.timeoutMs });
        if (paid.kind !== 'session') throw errors.liveRunner.CLIENT_FAILED.create(`${offer.runner.url} challenged a paid reservation`);
        return { reply: paid.session, loop, payer, offer, initial, ended };
      } catch (error) {
        // The tickets left: they count as spent whatever the answer.
        initial.prepared.sent();
        payer.close();
        throw error;
      }
    });
    const id = randomUUID();
    const session: LiveSession = { id, app: request.app, tenant: request.tenant, orchestrator: reserved.orchestrator, runner: reserved.offer.runner, reply: reserved.reply, loop: reserved.loop, payer: reserved.payer };
    this.#sessions.set(id, session);
    if (reserved.loop !== undefined && reserved.initial !== undefined && reserved.ended !== undefined) {
      // The orchestrator released it (or payments keep failing): nothing more is paid, the client gets 404s.
      reserved.ended.handler = (reason) => {
        if (this.#sessions.get(id) !== session) return;
        this.#sessions.delete(id);
        session.payer?.close();
        this.#deps.onSessionEnded?.({ id, uri: session.orchestrator, reason });
        void stopLiveSession(session.reply.controlUrl, { timeoutMs: this.#deps.timeoutMs }).catch(() => undefined);
      };
      reserved.loop.begin(reserved.initial.prepared);
    }
    return session;
  }

  /** Stops paying, then releases the session on the orchestrator. */
  async stop(session: LiveSession): Promise<void> {
    if (this.#sessions.get(session.id) !== session) throw errors.liveRunner.SESSION_UNKNOWN.create(`session ${session.id} is already stopped`);
    this.#sessions.delete(session.id);
    await session.loop?.stop();
    session.payer?.close();
    try {
      await stopLiveSession(session.reply.controlUrl, { timeoutMs: this.#deps.timeoutMs });
    } catch (error) {
      // Unpaid, the orchestrator releases it on its own within the prepaid time.
      throw errors.liveRunner.CLIENT_FAILED.create(`payments for session ${session.id} stopped, but ${session.orchestrator} did not confirm the stop: ${(error as Error).message}`, { cause: error as Error });
    }
  }

  /** Stops every session (shutdown): payments first, all at once, then the orchestrators are told. */
  async close(): Promise<void> {
    const all = [...this.#sessions.values()];
    await Promise.allSettled(all.map((s) => this.stop(s)));
  }

  /**
   * One single-shot call: the app's answer from the first orchestrator that
   * took it. `body` is a Buffer so it can be sent again to the next one.
   * `done()` ends the payments of a time-priced call once the answer was read.
   */
  async singleShot(request: ReserveRequest & { readonly call: AppRequest & { readonly body: Buffer | null } }): Promise<{ response: Dispatcher.ResponseData; orchestrator: string; done: () => Promise<void> }> {
    return this.#tryEach(request.app, 'single-shot', request.ceilings, async (offer) => {
      const opts = { timeoutMs: this.#deps.timeoutMs };
      const first = await callLiveApp(offer.runner.url, request.call, { ...opts, payer: this.#deps.payer });
      if (first.statusCode !== 402) {
        if (BEFORE_APP.has(first.statusCode)) throw await refusalOf(offer.runner.url, first);
        return { response: first, done: async () => undefined };
      }
      const challenge = await challengeOf(offer.runner.url, first);
      const { payer, loop } = this.#payerFor(offer, challenge, request.ceilings, request.tenant);
      const initial = await firstPayment(loop, payer);
      let response: Dispatcher.ResponseData;
      try {
        response = await callLiveApp(offer.runner.url, request.call, { ...opts, paid: initial.headers });
      } catch (error) {
        initial.prepared.sent();
        payer.close();
        throw error;
      }
      if (BEFORE_APP.has(response.statusCode)) {
        initial.prepared.sent();
        payer.close();
        throw await refusalOf(offer.runner.url, response);
      }
      loop.begin(initial.prepared);
      return {
        response,
        done: async () => {
          await loop.stop();
          payer.close();
        },
      };
    }, request.accept);
  }
}
