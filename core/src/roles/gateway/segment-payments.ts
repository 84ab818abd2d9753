/**
 * Pixel payments for segments, as go-livepeer's gateway makes them
 * (`estimateFee`, `newBalanceUpdate`, `completeBalanceUpdate`, `updateSession`):
 * a mirror balance per (orchestrator recipient, auth session id), a fee
 * estimate of Σ w × h × ceil(fps) × ceil(seconds) × 1.02 × price, tickets for
 * whatever the balance lacks of max(fee, one ticket EV), and after the answer
 * the balance gets existing + new credit − pixels × price. A fresh
 * OrchestratorInfo in the result restarts the PM session (new
 * recipientRandHash, nonces from 0); a new auth session id means a new balance.
 * All amounts are exact rationals; the tenant is charged the EV sent, in wei
 * rounded up, before the tickets exist (ADR 0017).
 */
import { errors, nominalPixels, type TranscodeProfile } from '@lpx/sdk';
import type { OrchestratorInfo } from '../../network/index.js';
import { DEFAULT_SEGMENT_DURATION_MS } from '../../network/segment/index.js';
import {
  addressKey,
  Balances,
  BalanceUpdate,
  paymentFromBatch,
  paymentHeader,
  paymentWithoutTickets,
  Rational,
  stageUpdate,
  type TicketSender,
} from '../../payments/index.js';

/** go-livepeer's pixelEstimateMultiplier (1.02), exactly. */
export const PIXEL_ESTIMATE_MULTIPLIER = Rational.of(51n, 50n);

/** Output pixels go-livepeer's gateway expects a segment to cost (fps 0 counted as 60; duration 0 as 2 s). */
export function estimatePixels(profiles: readonly Pick<TranscodeProfile, 'width' | 'height' | 'fps' | 'fpsDen'>[], durationMs: number): bigint {
  const duration = durationMs > 0 ? durationMs : DEFAULT_SEGMENT_DURATION_MS;
  return profiles.reduce((sum, p) => sum + nominalPixels(p, duration), 0n);
}

/** The fee estimate in wei (a rational): pixels × 1.02 × price. */
export function estimateFee(pixels: bigint, price: Rational): Rational {
  return PIXEL_ESTIMATE_MULTIPLIER.mulInt(pixels).mul(price);
}

/** One stream's session with one orchestrator: its own auth token, ticket params and PM session. */
export interface SegmentSession {
  readonly uri: string;
  info: OrchestratorInfo;
  /** The TicketSender session of `info.ticketParams`; undefined when nothing is paid. */
  pmSession: string | undefined;
}

export interface PreparedSegmentPayment {
  /** The Livepeer-Payment header value ('' when nothing is paid, as go-livepeer without a sender). */
  readonly header: string;
  readonly numTickets: number;
  /** EV of the tickets made for this segment, in wei rounded up (what the tenant was charged). */
  readonly chargedWei: bigint;
  /** The per-pixel price the payment names; undefined when unpriced. */
  readonly price: Rational | undefined;
  /** Mark the payment spent once the orchestrator answered; settle with the pixels it charged. */
  sent(): void;
  settle(pixels: bigint): void;
  /** Settles with an exact debit in wei (Live Runner sessions debit at their first price, ADR 0043). */
  settleAmount(debit: Rational): void;
  /** The request never reached the orchestrator: the set-aside credit comes back. */
  abort(): void;
}

/** Charges the job's tenant `wei` before tickets are made; returns the undo. Throws when over budget. */
export type ChargeTenant = (wei: bigint) => Promise<() => Promise<void>>;

const ceilWei = (amount: Rational): bigint => (amount.num + amount.den - 1n) / amount.den;

const FREE: Omit<PreparedSegmentPayment, 'header'> = { numTickets: 0, chargedWei: 0n, price: undefined, sent: () => undefined, settle: () => undefined, settleAmount: () => undefined, abort: () => undefined };

export class SegmentPayments {
  readonly #tickets: TicketSender | undefined;
  readonly #balances: Balances;

  constructor(tickets: TicketSender | undefined, balances = new Balances()) {
    this.#tickets = tickets;
    this.#balances = balances;
  }

  /** A session for `info` as discovery returned it (new PM session). */
  open(uri: string, info: OrchestratorInfo): SegmentSession {
    const session: SegmentSession = { uri, info, pmSession: undefined };
    this.#startPm(session);
    return session;
  }

  /** A result's fresh info: the PM session restarts on its params; a new auth session id keys a new balance. */
  adopt(session: SegmentSession, info: OrchestratorInfo): void {
    const previous = session.pmSession;
    session.info = info;
    this.#startPm(session);
    if (previous !== undefined && previous !== session.pmSession) this.#tickets?.cleanupSession(previous);
  }

  close(session: SegmentSession): void {
    if (session.pmSession !== undefined) this.#tickets?.cleanupSession(session.pmSession);
    session.pmSession = undefined;
  }

  /** The gateway's mirror of what the orchestrator holds for this session (undefined: never paid). */
  balance(session: SegmentSession): Rational | undefined {
    const key = this.#balanceKey(session);
    return key === undefined ? undefined : this.#balances.balance(key.party, key.sessionId);
  }

  async prepare(session: SegmentSession, estimatedPixels: bigint, charge?: ChargeTenant, maxJobWei?: bigint): Promise<PreparedSegmentPayment> {
    return this.prepareUnits(session, estimatedPixels, PIXEL_ESTIMATE_MULTIPLIER, charge, maxJobWei);
  }

  /**
   * The same payment for any per-unit work: fee = units × multiplier × price.
   * Segments estimate pixels × 1.02; AI requests pay their units × price exactly
   * (go-livepeer's estimateAIFee), settled with the same units (ADR 0034).
   * A fee over `maxJobWei` (the job's spend ceiling, ADR 0036) is refused
   * before anything is charged or any ticket made.
   */
  async prepareUnits(session: SegmentSession, units: bigint, multiplier: Rational, charge?: ChargeTenant, maxJobWei?: bigint): Promise<PreparedSegmentPayment> {
    const tickets = this.#tickets;
    const priceInfo = session.info.priceInfo;
    if (tickets === undefined) return { header: '', ...FREE };
    if (priceInfo === undefined || priceInfo.pixelsPerUnit <= 0n || priceInfo.pricePerUnit <= 0n || session.pmSession === undefined) {
      // Unpriced: the orchestrator checks no balance; the payment only names us and the price.
      return { header: priceInfo === undefined ? '' : paymentHeader(paymentWithoutTickets(tickets.address, priceInfo)), ...FREE };
    }
    const price = Rational.of(priceInfo.pricePerUnit, priceInfo.pixelsPerUnit);
    const key = this.#balanceKey(session)!;
    const pmSession = session.pmSession;
    const ev = tickets.ev(pmSession);
    const fee = multiplier.mulInt(units).mul(price);
    if (maxJobWei !== undefined && fee.gt(Rational.of(maxJobWei, 1n))) {
      throw errors.plugin.PERMISSION_DENIED.create(`${session.uri} asks about ${ceilWei(fee)} wei for this job, over its spend ceiling of ${maxJobWei} wei (maxJobWei, capped by the submitting plugin's grants.spend.maxPerJobWei)`, {
        details: { permission: 'spend', grant: 'grants.spend.maxPerJobWei', orchestrator: session.uri, feeWei: ceilWei(fee).toString(), maxJobWei: maxJobWei.toString() },
      });
    }
    const minCredit = fee.gt(ev) ? fee : ev;
    const update = new BalanceUpdate(this.#balances, key.party, key.sessionId, stageUpdate(this.#balances, key.party, key.sessionId, minCredit, ev));
    let undo: (() => Promise<void>) | undefined;
    const chargedWei = ceilWei(update.staged.newCredit);
    let sent = false;
    try {
      if (update.numTickets > 0 && charge !== undefined) undo = await charge(chargedWei);
      const payment =
        update.numTickets > 0 ? paymentFromBatch(await tickets.createTicketBatch(pmSession, update.numTickets), priceInfo) : paymentWithoutTickets(tickets.address, priceInfo);
      return {
        header: paymentHeader(payment),
        numTickets: update.numTickets,
        chargedWei: update.numTickets > 0 ? chargedWei : 0n,
        price,
        sent: () => {
          sent = true;
          update.sent();
        },
        settle: (pixels) => update.settle(price.mulInt(pixels)),
        settleAmount: (debit) => update.settle(debit),
        // Tickets that never left cost nothing: the tenant gets its charge back.
        abort: () => {
          if (sent) return;
          update.abort();
          void undo?.();
        },
      };
    } catch (error) {
      update.abort();
      await undo?.();
      throw error;
    }
  }

  #startPm(session: SegmentSession): void {
    const params = session.info.ticketParams;
    session.pmSession = this.#tickets !== undefined && params !== undefined ? this.#tickets.startSession(params) : undefined;
  }

  #balanceKey(session: SegmentSession): { party: string; sessionId: string } | undefined {
    const recipient = session.info.ticketParams?.recipient;
    const sessionId = session.info.authToken?.sessionId;
    return recipient === undefined || sessionId === undefined ? undefined : { party: addressKey(recipient), sessionId };
  }
}
