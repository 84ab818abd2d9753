/**
 * Keeps one Live Runner session paid (go-livepeer's LivePaymentSender, on
 * lpx's cadence, live-payment-plan.ts): the first payment goes with the
 * reservation, then a timer settles the time used so far against the mirror
 * balance and sends tickets for whatever is missing to stay `aheadSeconds`
 * ahead, adopting the fresh ticket params of each PaymentResult. A fixed
 * price is paid once and never again. After `stop()` nothing is paid: the
 * timer is gone and a tick already running stops before making tickets.
 *
 * How tickets are made and who is charged for them is the port's business
 * (the gateway's mirror balances and tenant budgets); this file owns the
 * wire, the units and the timing.
 */
import type { LiveRunnerPriceUnit } from '@lpx/sdk';
import { errors } from '@lpx/sdk';
import type { OrchestratorInfo } from '../wire/types.js';
import { LIVE_PAYMENT_DEFAULTS, unitsAhead, unitsForElapsed } from './live-payment-plan.js';
import { payLiveSession, type PaymentHeaders, type WireCallOptions } from './live-runner-wire.js';

export interface PreparedLivePayment {
  /** Livepeer-Payment value. */
  readonly header: string;
  readonly numTickets: number;
  /** It reached the orchestrator: the credit counts as spent. */
  sent(): void;
  /** Debits `units` at the session price from the mirror balance. */
  settle(units: bigint): void;
  /** It never left: the set-aside credit comes back (and any tenant charge). */
  abort(): void;
}

export interface LivePaymentPort {
  /** Tickets for whatever the mirror balance lacks of `units` at the session price. */
  prepare(units: bigint): Promise<PreparedLivePayment>;
  /** Livepeer-Segment for the session's manifest id and current auth token. */
  segmentHeader(): Promise<string>;
  /** Fresh params of a PaymentResult. */
  adopt(info: OrchestratorInfo): void;
}

export interface LivePaymentLoopOptions {
  readonly port: LivePaymentPort;
  readonly unit: LiveRunnerPriceUnit;
  readonly paymentUrl: string;
  readonly intervalMs?: number;
  readonly aheadSeconds?: number;
  readonly timeoutMs: number;
  readonly now?: () => number;
  /** Defaults to the wire call; tests may count. */
  readonly pay?: (url: string, paid: PaymentHeaders, options: WireCallOptions) => Promise<OrchestratorInfo | undefined>;
  /** Payments failed this many times in a row (or the session is gone): the loop ends and says so. */
  readonly maxFailures?: number;
  onEnded?(reason: Error): void;
  onPaid?(tickets: number): void;
}

export class LivePaymentLoop {
  readonly #o: LivePaymentLoopOptions;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #ahead: bigint;
  #pending: PreparedLivePayment | undefined;
  #startedAt = 0;
  #settledUnits = 0n;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #failures = 0;
  /** Payments sent after the reservation (for tests and metrics). */
  topUps = 0;

  constructor(options: LivePaymentLoopOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = options.intervalMs ?? LIVE_PAYMENT_DEFAULTS.intervalMs;
    this.#ahead = unitsAhead(options.unit, options.aheadSeconds ?? LIVE_PAYMENT_DEFAULTS.aheadSeconds);
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** The reservation's payment: `aheadSeconds` worth, or the fixed price. Send it, then `begin` or `abort` it. */
  async initial(): Promise<{ readonly prepared: PreparedLivePayment; readonly headers: PaymentHeaders }> {
    const prepared = await this.#o.port.prepare(this.#ahead);
    try {
      return { prepared, headers: { payment: prepared.header, segment: await this.#o.port.segmentHeader() } };
    } catch (error) {
      prepared.abort();
      throw error;
    }
  }

  /** The reservation succeeded with `prepared`: time starts now, and (unless fixed) the top-ups. */
  begin(prepared: PreparedLivePayment): void {
    prepared.sent();
    this.#o.onPaid?.(prepared.numTickets);
    if (this.#o.unit === 'fixed') {
      prepared.settle(1n);
      return;
    }
    this.#pending = prepared;
    this.#startedAt = this.#now();
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#tick().finally(() => {
        this.#running = undefined;
        this.#schedule();
      });
    }, this.#intervalMs);
    this.#timer.unref();
  }

  #settleUsed(): void {
    if (this.#o.unit === 'fixed') return;
    const used = unitsForElapsed(this.#o.unit, this.#now() - this.#startedAt);
    this.#pending?.settle(used - this.#settledUnits);
    this.#pending = undefined;
    this.#settledUnits = used;
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    this.#settleUsed();
    let next: PreparedLivePayment;
    try {
      next = await this.#o.port.prepare(this.#ahead);
    } catch (error) {
      return this.#end(error as Error);
    }
    // Stopped while the tickets were made: they never leave.
    if (this.#stopped || next.numTickets === 0) {
      if (this.#stopped) next.abort();
      else this.#pending = next;
      return;
    }
    try {
      const segment = await this.#o.port.segmentHeader();
      if (this.#stopped) {
        next.abort();
        return;
      }
      this.topUps++;
      const info = await (this.#o.pay ?? payLiveSession)(this.#o.paymentUrl, { payment: next.header, segment }, { timeoutMs: this.#o.timeoutMs });
      next.sent();
      this.#o.onPaid?.(next.numTickets);
      this.#pending = next;
      this.#failures = 0;
      if (info !== undefined) this.#o.port.adopt(info);
    } catch (error) {
      next.abort();
      const status = (error as { details?: { status?: unknown } }).details?.status;
      // 404: released (stopped elsewhere, expired, its runner gone); 409: it takes no more payments.
      if (status === 404 || status === 409 || ++this.#failures >= (this.#o.maxFailures ?? 3)) return this.#end(error as Error);
    }
  }

  #end(reason: Error): void {
    if (this.#stopped) return;
    this.#stop();
    this.#o.onEnded?.(errors.liveRunner.CLIENT_FAILED.is(reason) ? reason : errors.liveRunner.CLIENT_FAILED.create(`paying the session failed: ${reason.message}`, { cause: reason }));
  }

  #stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** No payment after this resolves; the time used is settled in the mirror. */
  async stop(): Promise<void> {
    if (!this.#stopped) {
      this.#stop();
      await this.#running;
      this.#settleUsed();
    } else await this.#running;
  }
}
