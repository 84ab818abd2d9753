/**
 * One running BYOC stream on the gateway, after an orchestrator accepted
 * `/ai/stream/start`: the trickle clients on its channels (control keepalive
 * publisher, events subscriber, ingest publisher), the periodic payment to
 * `/ai/stream/payment`, and the stop. It ends once, for one reason: the client
 * stopped it, the gateway shut down, or the orchestrator went away (its
 * channel gone, its payment route refusing) — then the orchestrator is told
 * to stop and the reason stays in the status.
 */
import { errors, isLpxError } from '@lpx/sdk';
import { TricklePublisher, TrickleSubscriber } from '@lpx/sdk/trickle-kit';
import type { Logger } from 'pino';
import type { TicketSender } from '../../payments/index.js';
import type { JobSender } from '../../network/byoc/index.js';
import type { GatewaySigner } from '../../network/auth/gateway-signature.js';
import { balanceOf, callStreamRoute, PAYMENT_TIMEOUT_SECONDS, STOP_TIMEOUT_SECONDS, type StreamAnswer } from '../../network/byoc/stream-client.js';
import { refreshStreamToken } from '../../network/byoc/stream-token-search.js';
import type { StreamChannel } from '../../network/byoc/stream-types.js';
import { streamPayment, type StreamCharge } from './byoc-stream-payer.js';

/** What every stream of one gateway shares. */
export interface StreamWire {
  readonly signer: GatewaySigner;
  readonly sender: () => Promise<JobSender>;
  /** Undefined offchain: nothing is paid. */
  readonly tickets: TicketSender | undefined;
  readonly logger: Logger;
  readonly now: () => number;
  /** go-livepeer pays every 50 s. */
  readonly paymentIntervalMs: number;
  /** go-livepeer's control publisher writes a keepalive every 10 s. */
  readonly controlKeepaliveMs: number;
  /** Unreachable payment rounds in a row before the stream is given up. */
  readonly maxPaymentFailures: number;
}

export type StreamState = 'running' | 'stopped' | 'failed';

export interface StreamOrchestrator {
  /** The pool URL the token search asked. */
  readonly uri: string;
  /** The token's service_addr: where the stream routes go. */
  readonly serviceAddr: string;
  /** 0x address of the ticket recipient, "" when free. */
  readonly address: string;
}

export interface StreamSessionInit {
  readonly id: string;
  readonly tenant: string | undefined;
  readonly capability: string;
  readonly orchestrator: StreamOrchestrator;
  readonly channels: Partial<Record<StreamChannel, string>>;
  readonly startedAt: number;
  readonly balance: bigint | undefined;
  readonly chargedWei: bigint;
  readonly tickets: number;
  readonly charge: StreamCharge | undefined;
}

const KEEPALIVE = JSON.stringify({ keep: 'alive' });

export class StreamSession {
  readonly id: string;
  readonly tenant: string | undefined;
  readonly capability: string;
  readonly orchestrator: StreamOrchestrator;
  readonly channels: Partial<Record<StreamChannel, string>>;
  readonly startedAt: number;
  state: StreamState = 'running';
  reason: string | undefined;
  endedAt: number | undefined;
  lastPaymentAt: number | undefined;
  balance: bigint | undefined;
  chargedWei: bigint;
  ticketsSent: number;
  lastEvent: unknown;
  readonly #wire: StreamWire;
  readonly #charge: StreamCharge | undefined;
  readonly #ingest: TricklePublisher | undefined;
  readonly #control: TricklePublisher | undefined;
  readonly #events: TrickleSubscriber | undefined;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #onEnd = new Set<() => void>();
  #ingestQueue: Promise<unknown> = Promise.resolve();
  #paymentFailures = 0;
  #paying = false;
  #ending: Promise<void> | undefined;

  constructor(wire: StreamWire, init: StreamSessionInit) {
    this.#wire = wire;
    this.id = init.id;
    this.tenant = init.tenant;
    this.capability = init.capability;
    this.orchestrator = init.orchestrator;
    this.channels = init.channels;
    this.startedAt = init.startedAt;
    this.balance = init.balance;
    this.chargedWei = init.chargedWei;
    this.ticketsSent = init.tickets;
    if (init.chargedWei > 0n) this.lastPaymentAt = init.startedAt;
    this.#charge = init.charge;
    const tls = { insecure: true };
    if (init.channels.publish !== undefined) this.#ingest = new TricklePublisher(init.channels.publish, tls);
    if (init.channels.control !== undefined) {
      this.#control = new TricklePublisher(init.channels.control, { ...tls, mimeType: 'application/json' });
      // go-livepeer's keepalive; a control channel that no longer exists means the orchestrator dropped the stream.
      this.#every(wire.controlKeepaliveMs, () =>
        this.#control?.write(KEEPALIVE).catch((error: unknown) => {
          if (errors.trickle.CHANNEL_NOT_FOUND.is(error) && this.running) return this.end('failed', "the orchestrator's control channel is gone");
          return undefined;
        }),
      );
    }
    if (init.channels.events !== undefined) {
      this.#events = new TrickleSubscriber(init.channels.events, tls);
      void this.#watchEvents(this.#events);
    }
    this.#every(wire.paymentIntervalMs, () => this.#pay());
  }

  get running(): boolean {
    return this.state === 'running';
  }

  /** Calls `listener` when the stream ends (at once if it has); returns the unsubscribe. */
  onEnd(listener: () => void): () => void {
    if (!this.running) {
      listener();
      return () => undefined;
    }
    this.#onEnd.add(listener);
    return () => this.#onEnd.delete(listener);
  }

  /** One ingest segment: written to the orchestrator's publish channel in arrival order. */
  ingest(body: AsyncIterable<Uint8Array | string>): Promise<number> {
    const publisher = this.#ingest;
    if (publisher === undefined) throw errors.byoc.STREAM_CHANNEL_OFF.create(`stream ${this.id} has no ingest channel (start it with enable_video_ingress)`);
    const run = this.#ingestQueue.then(async () => {
      this.assertRunning();
      try {
        return await publisher.write(body);
      } catch (error) {
        if (errors.trickle.CHANNEL_NOT_FOUND.is(error) || errors.trickle.CLOSED.is(error)) {
          void this.end('failed', `the orchestrator's publish channel is gone: ${(error as Error).message}`);
        }
        throw errors.byoc.STREAM_RELAY_FAILED.create(`segment for stream ${this.id} could not be published to ${this.orchestrator.serviceAddr}: ${(error as Error).message}`, { cause: error });
      }
    });
    this.#ingestQueue = run.catch(() => undefined);
    return run;
  }

  assertRunning(): void {
    if (!this.running) throw errors.byoc.STREAM_ALREADY_ENDED.create(`stream ${this.id} has ${this.state === 'failed' ? 'failed' : 'stopped'}${this.reason !== undefined ? `: ${this.reason}` : ''}`);
  }

  /** A signed call to the orchestrator's stream route, paid first when its fresh token says the credit is low. */
  async call(route: '/ai/stream/update' | '/ai/stream/payment', options: { readonly timeoutSeconds: number; readonly body?: Buffer; readonly contentType?: string; readonly parameters?: string }): Promise<StreamAnswer | undefined> {
    const sender = await this.#wire.sender();
    const token = await refreshStreamToken({ serviceAddr: this.orchestrator.serviceAddr, capability: this.capability, sender });
    const payment = await streamPayment(this.#wire.tickets, token, options.timeoutSeconds, this.#charge);
    this.#paid(payment.chargedWei, payment.tickets);
    // go-livepeer sends a payment only when it has tickets to send.
    if (route === '/ai/stream/payment' && payment.header === undefined) {
      this.balance = token.balance;
      return undefined;
    }
    const answer = await callStreamRoute({
      serviceAddr: token.serviceAddr || this.orchestrator.serviceAddr,
      route,
      job: { id: '', request: JSON.stringify({ stream_id: this.id }), parameters: options.parameters ?? '{}', capability: this.capability, timeoutSeconds: options.timeoutSeconds },
      signer: this.#wire.signer,
      payment: payment.header,
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
    });
    this.balance = balanceOf(answer) ?? this.balance;
    return answer;
  }

  /** Ends the stream: timers and trickle clients stop, the orchestrator is told (without a payment: stopping buys nothing). */
  end(state: 'stopped' | 'failed', reason: string, body: Buffer | string = reason): Promise<void> {
    if (this.#ending !== undefined) return this.#ending;
    this.state = state;
    this.reason = reason;
    this.endedAt = this.#wire.now();
    for (const timer of this.#timers) clearInterval(timer);
    this.#events?.close();
    for (const listener of this.#onEnd) listener();
    this.#onEnd.clear();
    this.#ending = (async () => {
      if (state === 'failed') this.#wire.logger.warn({ stream: this.id, orchestrator: this.orchestrator.serviceAddr, reason }, 'BYOC stream failed');
      try {
        const answer = await callStreamRoute({
          serviceAddr: this.orchestrator.serviceAddr,
          route: '/ai/stream/stop',
          job: { id: '', request: JSON.stringify({ stream_id: this.id }), parameters: '{}', capability: this.capability, timeoutSeconds: STOP_TIMEOUT_SECONDS },
          signer: this.#wire.signer,
          body,
        });
        if (answer.status >= 300) this.#wire.logger.info({ stream: this.id, status: answer.status, text: answer.body.toString('utf8').slice(0, 200) }, 'orchestrator refused the stream stop');
      } catch (error) {
        this.#wire.logger.info({ stream: this.id, err: error }, 'orchestrator did not answer the stream stop');
      }
      // The orchestrator removes its channels on stop; closing ours only frees sockets (a gone channel is fine).
      await Promise.all([this.#ingest, this.#control].map((publisher) => publisher?.close().catch(() => undefined)));
    })();
    return this.#ending;
  }

  #paid(chargedWei: bigint, tickets: number): void {
    if (tickets === 0) return;
    this.chargedWei += chargedWei;
    this.ticketsSent += tickets;
    this.lastPaymentAt = this.#wire.now();
  }

  #every(ms: number, work: () => unknown): void {
    const timer = setInterval(() => void Promise.resolve().then(work).catch(() => undefined), ms);
    timer.unref();
    this.#timers.push(timer);
  }

  /** One payment round; overlapping rounds are skipped, not queued. */
  async #pay(): Promise<void> {
    if (!this.running || this.#paying) return;
    this.#paying = true;
    try {
      const answer = await this.call('/ai/stream/payment', { timeoutSeconds: PAYMENT_TIMEOUT_SECONDS });
      this.#paymentFailures = 0;
      if (answer !== undefined && answer.status !== 200 && this.running) {
        await this.end('failed', `the orchestrator refused the stream payment: ${answer.status} ${answer.body.toString('utf8').trim().slice(0, 200)}`);
      }
    } catch (error) {
      // A refused budget is final; a missed round is retried until too many fail in a row.
      const final = isLpxError(error) && error.code === errors.gateway.BUDGET_EXHAUSTED.code;
      if (this.running && (final || ++this.#paymentFailures >= this.#wire.maxPaymentFailures)) {
        await this.end('failed', `the stream payment failed: ${(error as Error).message}`);
      }
    } finally {
      this.#paying = false;
    }
  }

  /** Keeps the last event; the channel's end or disappearance while running means the orchestrator dropped the stream. */
  async #watchEvents(subscriber: TrickleSubscriber): Promise<void> {
    try {
      for await (const segment of subscriber) {
        const text = (await segment.bytes()).toString('utf8').trim();
        if (text === '') continue;
        try {
          this.lastEvent = JSON.parse(text) as unknown;
        } catch {
          this.lastEvent = text;
        }
      }
      if (this.running) await this.end('failed', "the orchestrator's events channel ended");
    } catch (error) {
      if (this.running) await this.end('failed', `the orchestrator's events channel is gone: ${(error as Error).message}`);
    }
  }
}
