/**
 * Pays a BYOC stream's orchestrator the way go-livepeer's gateway does
 * (byoc/payment.go createPayment), from a token fetched just before:
 * - no tickets when the token's balance already covers 120 s at its price
 *   (the orchestrator wants 60 s; go-livepeer keeps a 2-minute buffer);
 * - otherwise tickets whose EV covers price × timeout_seconds of the call
 *   (70 s for the periodic payment), at most 600, rounded up.
 * Every payment uses its own ticket session on the token's fresh params, so
 * nonces never repeat under one recipientRandHash. The tenant's budget is
 * charged the tickets' EV (whole wei, rounded up) before they are made, so an
 * over-budget stream never makes the gateway pay. All amounts are exact.
 */
import type { TicketSender } from '../../payments/index.js';
import { paymentFromBatch, paymentHeader, Rational, ticketEV } from '../../payments/index.js';
import type { JobToken } from '../../network/byoc/index.js';

/** go-livepeer's gateway buffer: no tickets while the orchestrator holds this many seconds of credit. */
export const STREAM_MIN_BALANCE_SECONDS = 120n;
/** go-livepeer's cap (pm's maxSenderNonces). */
export const MAX_TICKETS_PER_PAYMENT = 600n;

export type StreamCharge = (wei: bigint) => Promise<() => Promise<void>>;

export interface StreamPayment {
  /** The Livepeer-Payment header; undefined when nothing needs paying. */
  readonly header: string | undefined;
  readonly tickets: number;
  /** What the tenant was charged, whole wei (the tickets' EV rounded up). */
  readonly chargedWei: bigint;
}

const NONE: StreamPayment = { header: undefined, tickets: 0, chargedWei: 0n };

/** The ticket count go-livepeer sends for `cost` at `ev` per ticket. */
export function ticketCountFor(cost: Rational, ev: Rational, timeoutSeconds: number): bigint {
  if (ev.isZero()) return BigInt(timeoutSeconds);
  const count = cost.div(ev).ceil();
  return count > MAX_TICKETS_PER_PAYMENT ? MAX_TICKETS_PER_PAYMENT : count < 0n ? 0n : count;
}

export async function streamPayment(tickets: TicketSender | undefined, token: JobToken, timeoutSeconds: number, charge: StreamCharge | undefined): Promise<StreamPayment> {
  const params = token.ticketParams;
  const price = token.price;
  if (tickets === undefined || params === undefined || price === undefined || price.pricePerUnit <= 0n || price.pixelsPerUnit <= 0n) return NONE;
  const unit = Rational.of(price.pricePerUnit, price.pixelsPerUnit);
  if (Rational.of(token.balance).gte(unit.mulInt(STREAM_MIN_BALANCE_SECONDS))) return NONE;
  const ev = ticketEV(params.faceValue, params.winProb);
  const count = ticketCountFor(unit.mulInt(BigInt(timeoutSeconds)), ev, timeoutSeconds);
  if (count === 0n) return NONE;
  const chargedWei = ev.mulInt(count).ceil();
  const undo = await charge?.(chargedWei);
  const session = tickets.startSession(params);
  try {
    const batch = await tickets.createTicketBatch(session, Number(count));
    return { header: paymentHeader(paymentFromBatch(batch, price)), tickets: Number(count), chargedWei };
  } catch (error) {
    await undo?.();
    throw error;
  } finally {
    tickets.cleanupSession(session);
  }
}
