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
import { addressKey, decodePaymentHeaderValue, priceFromInfo, Rational, type Address, type Payment, type PaymentReceipt, type PriceInfo } from '../../payments/index.js';
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
 * or blank header credits nothing (undefined). Throws, crediting nothing, an LpxError
 * whose status is the reply's: 402 unreadable, 400 sender mismatch or refused.
 * Shared with plugin-served BYOC routes (orchestratorWire.byocJobs.pay).
 */
export async function creditJobPayment(payments: JobPayments, sender: Address, capability: string, header: string | undefined): Promise<PaymentReceipt | undefined> {
  if (header === undefined || header.trim() === '') return undefined;
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
    return await payments.processor.processPayment(payment, capability);
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
  let receipt: PaymentReceipt | undefined;
  try {
    receipt = await creditJobPayment(payments, sender, capability, header);
  } catch (error) {
    if (!isLpxError(error)) throw error;
    // A wrapped refusal keeps the underlying code for the Lpx-Error-Code header.
    const inner = error.details?.['code'];
    const code = typeof inner === 'string' ? inner : error.code;
    return { status: error.status, text: error.message, code };
  }
  // The balance the credit left, when the store reported it, is the one a read would return now.
  const balance = receipt?.balance ?? (await payments.processor.balance(sender, capability)) ?? Rational.ZERO;
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

/** Debits the work; returns the balance after the debit, or undefined when free (nothing debited). */
export async function chargeForWork(payments: JobPayments, sender: Address, capability: string, price: Rational, elapsedMs: number): Promise<Rational | undefined> {
  if (price.sign() <= 0) return undefined;
  return payments.processor.debit(sender, capability, billedSeconds(elapsedMs), price);
}

/**
 * `Livepeer-Balance`: whole wei, truncated toward zero; "0" for unknown or offchain, as go-livepeer.
 * `known` is a balance just returned by a debit, which spares the read.
 */
export async function balanceHeader(payments: JobPayments | undefined, sender: Address, capability: string, known?: Rational): Promise<string> {
  if (payments === undefined) return '0';
  const balance = known ?? (await payments.processor.balance(sender, capability));
  return (balance?.trunc() ?? 0n).toString();
}
