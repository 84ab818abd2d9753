/**
 * Paying for runner sessions with the kernel's wire payments, in
 * go-livepeer's order: no payment headers → the 402 challenge (ticket params
 * for `Livepeer-Payer-Address` at the runner's price, a fresh manifest id);
 * then the manifest must be the auth token's session id (403), a fixed
 * price must match exactly (400), a slot must be free (503) — all before
 * anything is credited — and the session id is the manifest id. Time-priced
 * sessions are debited every interval for the time they held their slot and
 * released when their balance goes negative (go-livepeer's
 * LivePaymentProcessor; 720p-pixel-seconds bill 1280×720×30 pixels a second);
 * on release the time since the last debit is settled too (go-livepeer drops
 * it, which leaves short sessions and single-shot calls unbilled).
 */
import { errors, type LiveRunnerPrice, type WirePayments, type WirePrice } from '@lpx/sdk';
import { PIXELS_720P_PER_SECOND } from '@lpx/sdk/wire-kit';
import type { Runner, RunnerTable, Session } from '../registry/runner-table.js';

// go-livepeer's IsHexAddress: 40 hex digits, the 0x (or 0X) prefix optional.
const ADDRESS = /^(?:0[xX])?([0-9a-fA-F]{40})$/;

export interface PaymentHeaders {
  readonly payment?: string;
  readonly segment?: string;
  readonly payer?: string;
}

export type Reservation = { readonly kind: 'challenge'; readonly body: Record<string, string> } | { readonly kind: 'session'; readonly session: Session };

export interface SessionPaymentsOptions {
  readonly wire: WirePayments;
  readonly table: RunnerTable;
  readonly intervalMs: number;
  readonly serviceUri: () => string;
  readonly onError: (error: unknown, context: string) => void;
}

/** Is `balance` ("n" or "n/d", may be negative) at least `amount` wei? */
export function balanceCovers(balance: string | undefined, amount: bigint): boolean {
  if (balance === undefined) return false;
  const [num, den = '1'] = balance.split('/');
  return BigInt(num!) >= amount * BigInt(den);
}

function headerPresent(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

export class SessionPayments {
  readonly #monitors = new Map<Session, NodeJS.Timeout>();

  constructor(private readonly options: SessionPaymentsOptions) {}

  /** Whether reserving on `runner` costs money here. */
  priced(runner: Runner): runner is Runner & { spec: { price: LiveRunnerPrice } } {
    return this.options.wire.enabled && runner.spec.price !== undefined;
  }

  async reserve(runner: Runner, headers: PaymentHeaders): Promise<Reservation> {
    const { table, wire } = this.options;
    if (!this.priced(runner)) return { kind: 'session', session: table.reserve(runner) };
    const price = runner.spec.price;
    if (!headerPresent(headers.payment) && !headerPresent(headers.segment)) return { kind: 'challenge', body: await this.#challenge(runner, price, headers.payer) };

    let session: Session | undefined;
    try {
      const receipt = await wire.accept(
        { ...(headers.payment !== undefined ? { payment: headers.payment } : {}), ...(headers.segment !== undefined ? { segment: headers.segment } : {}) },
        {
          verify: (check) => {
            if (check.manifestId !== check.authSessionId) throw errors.liveRunner.MANIFEST_MISMATCH.create('mismatched manifest and auth token', { details: { manifestId: check.manifestId } });
            if (price.unit === 'fixed') {
              const expected = check.expectedPrice;
              if (expected === undefined || expected.pricePerUnit !== BigInt(price.price) || expected.pixelsPerUnit !== 1n) {
                throw errors.liveRunner.PRICE_MISMATCH.create('payment price does not match live runner price', { details: { price: price.price } });
              }
            }
            // The slot is taken before the payment is credited, and given back if the payment is refused.
            session = table.reserve(runner, { sessionId: check.manifestId, payer: { sender: check.sender, manifestId: check.manifestId } });
          },
        },
      );
      const reserved = session!;
      if (price.unit === 'fixed') await this.#chargeFixed(runner, reserved, receipt.sender, BigInt(price.price));
      else this.#monitor(runner, reserved, price);
      return { kind: 'session', session: reserved };
    } catch (error) {
      if (session !== undefined) table.release(runner, session.id, 'payment refused');
      throw error;
    }
  }

  async #challenge(runner: Runner, price: LiveRunnerPrice, payer: string | undefined): Promise<Record<string, string>> {
    const hex = payer === undefined ? undefined : ADDRESS.exec(payer)?.[1];
    if (hex === undefined) throw errors.liveRunner.PAYMENT_REQUIRED.create('invalid live runner payment signer address');
    // Fixed and per-unit prices alike go on the wire as price/1 (go-livepeer's runnerOrchInfo).
    const challenge = await this.options.wire.challenge({ sender: `0x${hex}`, price: { pricePerUnit: BigInt(price.price), pixelsPerUnit: 1n } });
    return {
      payment_params: challenge.paymentParams,
      orchestrator: challenge.orchestrator,
      manifest_id: challenge.manifestId,
      payment_url: `${this.options.serviceUri()}/apps/${encodeURIComponent(runner.route)}/session/${encodeURIComponent(challenge.manifestId)}/payment`,
    };
  }

  async #chargeFixed(runner: Runner, session: Session, sender: string, amount: bigint): Promise<void> {
    const key = { sender, manifestId: session.id };
    if (!balanceCovers(await this.options.wire.balance(key), amount)) {
      throw errors.payments.INSUFFICIENT_BALANCE.create(`insufficient balance for the fixed price of ${amount} wei`, { details: { runner: runner.route, session: session.id } });
    }
    await this.options.wire.debit({ ...key, units: 1n, price: { pricePerUnit: amount, pixelsPerUnit: 1n } });
  }

  /** Follow-up payment for a session; the PaymentResult protobuf for the reply. */
  async pay(session: Session, headers: PaymentHeaders): Promise<Uint8Array> {
    if (session.price?.unit === 'fixed') throw errors.liveRunner.SESSION_CONFLICT.create('fixed-price live runner sessions do not accept follow-up payments', { details: { session: session.id } });
    const receipt = await this.options.wire.accept(
      { ...(headers.payment !== undefined ? { payment: headers.payment } : {}), ...(headers.segment !== undefined ? { segment: headers.segment } : {}) },
      {
        verify: (check) => {
          if (check.manifestId !== session.id) throw errors.liveRunner.MANIFEST_MISMATCH.create('mismatched session and payment manifest', { details: { session: session.id } });
        },
      },
    );
    return receipt.paymentResult();
  }

  #monitor(runner: Runner, session: Session, price: LiveRunnerPrice): void {
    const payer = session.payer!;
    const perSecond = price.unit === '720p-pixel-seconds' ? PIXELS_720P_PER_SECOND : 1n;
    // Billed per millisecond (price / 1000 per unit-millisecond): exact, nothing lost to truncation.
    const wirePrice: WirePrice = { pricePerUnit: BigInt(price.price), pixelsPerUnit: 1000n };
    // From the moment the slot was taken; `last` moves synchronously, so debits in flight never overlap in time.
    let last = session.createdAt;
    const debitUntil = (now: number): Promise<string> | undefined => {
      const units = BigInt(Math.max(0, now - last)) * perSecond;
      last = Math.max(last, now);
      return units === 0n ? undefined : this.options.wire.debit({ sender: payer.sender, manifestId: payer.manifestId, units, price: wirePrice });
    };
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      if (!runner.sessions.has(session.id)) return this.#stop(session);
      busy = true;
      Promise.resolve(debitUntil(this.options.table.now()))
        .then((balance) => {
          if (balance?.startsWith('-') === true) this.options.table.release(runner, session.id, 'payment ran out');
        })
        .catch((error: unknown) => this.options.onError(error, 'debiting a live runner session'))
        .finally(() => (busy = false));
    }, this.options.intervalMs);
    timer.unref();
    this.#monitors.set(session, timer);
    // Released (stopped, single-shot answered, runner gone, run dry): the time since the last debit is
    // settled, or every session would get up to one interval free — and a single-shot call all of it.
    const settle = (): void => {
      this.#stop(session);
      debitUntil(this.options.table.now())?.catch((error: unknown) => this.options.onError(error, 'settling a released live runner session'));
    };
    if (session.abort.signal.aborted) settle();
    else session.abort.signal.addEventListener('abort', settle, { once: true });
  }

  #stop(session: Session): void {
    clearInterval(this.#monitors.get(session));
    this.#monitors.delete(session);
  }

  stopAll(): void {
    for (const timer of this.#monitors.values()) clearInterval(timer);
    this.#monitors.clear();
  }
}
