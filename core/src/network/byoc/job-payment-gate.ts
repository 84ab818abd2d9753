/**
 * Money around one BYOC job, keyed like go-livepeer: balance (sender, capability name).
 *
 * Order (after capacity was reserved, so refused work never takes a payment):
 * 1. decode Livepeer-Payment (402 when it does not decode);
 * 2. its sender must be the JobRequest sender (400): credit must land where the
 *    job's balance check looks, an lpx-only check;
 * 3. processPayment credits ticket EV (400 with the refusal text). Credit is
 *    kept even if the job is then refused: the tickets are real money the
 *    sender paid, and a later job (or the token's `balance`) uses it;
 * 4. balance ≥ 60 s × price, else 400 `Insufficient balance for request`.
 * Nothing is debited before the work is done; after it, ceil(seconds) × price.
 *
 * The price is the one quoted now (`priceFor`), as go-livepeer's JobPriceInfo,
 * not the session price ADR 0101 fixes on first payment: the BYOC "session" is
 * the capability name and lives as long as the sender keeps using it, and a
 * ticketless payment fixes price 0, which must not make later work free.
 */
import { errors, isLpxError } from '@lpx/sdk';
import { addressKey, decodePaymentHeaderValue, priceFromInfo, Rational, type Address, type Payment, type PriceInfo } from '../../payments/index.js';
import type { JobPayments } from './byoc-types.js';

/** go-livepeer requires one minute of credit before a job starts. */
export const MIN_BALANCE_SECONDS = 60n;

const FREE: PriceInfo = { pricePerUnit: 0n, pixelsPerUnit: 1n };

export interface GateRefusal {
  readonly status: number;
  readonly text: string;
  readonly code: string;
}

/** The rational wei-per-second price; undefined → free. */
export function unitPrice(quoted: PriceInfo | undefined): Rational {
  return priceFromInfo(quoted ?? FREE);
}

/**
 * Steps 1–3: credits the header's tickets to (sender, capability); an absent
 * or blank header credits nothing. Throws, crediting nothing, an LpxError
 * whose status is the reply's: 402 unreadable, 400 sender mismatch or refused.
 * Shared with plugin-served BYOC routes (orchestratorWire.byocJobs.pay).
 */
export async function creditJobPayment(payments: JobPayments, sender: Address, capability: string, header: string | undefined): Promise<void> {
  if (header === undefined || header.trim() === '') return;
  let payment: Payment;
  try {
    payment = decodePaymentHeaderValue(header);
  } catch (error) {
    throw errors.payments.MALFORMED_HEADER.create(`Could not parse payment: ${(error as Error).message}`, { cause: error, details: isLpxError(error) ? { code: error.code } : {} });
  }
  if (payment.sender !== undefined && addressKey(payment.sender) !== addressKey(sender)) {
    throw errors.orchestrator.PAYMENT_SENDER_MISMATCH.create(`payment sender ${addressKey(payment.sender)} is not the job sender ${addressKey(sender)}`);
  }
  try {
    await payments.processor.processPayment(payment, capability);
  } catch (error) {
    // go-livepeer answers every ProcessPayment failure 400 with its text (gateways match on it).
    if (!isLpxError(error)) throw error;
    if (error.status === 400) throw error;
    throw errors.payments.REFUSED.create(error.message, { cause: error, details: { code: error.code } });
  }
}

export async function takePayment(
  payments: JobPayments,
  sender: Address,
  capability: string,
  price: Rational,
  header: string | undefined,
): Promise<GateRefusal | undefined> {
  try {
    await creditJobPayment(payments, sender, capability, header);
  } catch (error) {
    if (!isLpxError(error)) throw error;
    // A wrapped refusal keeps the underlying code for the Lpx-Error-Code header.
    const inner = error.details?.['code'];
    const code = typeof inner === 'string' ? inner : error.code;
    return { status: error.status, text: error.message, code };
  }
  const balance = (await payments.processor.balance(sender, capability)) ?? Rational.ZERO;
  if (balance.lt(price.mulInt(MIN_BALANCE_SECONDS))) {
    payments.processor.countRefusal('insufficient_balance');
    return { status: 400, text: 'Insufficient balance for request', code: errors.payments.INSUFFICIENT_BALANCE.code };
  }
  return undefined;
}

/**
 * Billed seconds: ceil(elapsed), and at least one, since go-livepeer's
 * nanosecond clock never reads a finished job as 0 s while a millisecond one can.
 */
export function billedSeconds(elapsedMs: number): bigint {
  const ms = BigInt(Math.max(0, Math.ceil(elapsedMs)));
  const seconds = (ms + 999n) / 1000n;
  return seconds < 1n ? 1n : seconds;
}

export async function chargeForWork(payments: JobPayments, sender: Address, capability: string, price: Rational, elapsedMs: number): Promise<void> {
  if (price.sign() <= 0) return;
  await payments.processor.debit(sender, capability, billedSeconds(elapsedMs), price);
}

/** `Livepeer-Balance`: whole wei, truncated toward zero; "0" for unknown or offchain, as go-livepeer. */
export async function balanceHeader(payments: JobPayments | undefined, sender: Address, capability: string): Promise<string> {
  if (payments === undefined) return '0';
  return ((await payments.processor.balance(sender, capability))?.trunc() ?? 0n).toString();
}
