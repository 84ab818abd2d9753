/**
 * Exact arithmetic on the kernel's balance strings (`"n"` or `"n/d"`, wei,
 * possibly negative) and wire prices (pricePerUnit wei per pixelsPerUnit
 * units). bigint only: these are money.
 */
import type { WirePrice } from '@lpx/sdk';

export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

export function parseBalance(balance: string | undefined): Fraction {
  if (balance === undefined) return { num: 0n, den: 1n };
  const [num, den = '1'] = balance.split('/');
  return { num: BigInt(num!), den: BigInt(den) };
}

/** Whether balance ≥ seconds × price; den and pixelsPerUnit are positive. */
export function covers(balance: Fraction, price: WirePrice, seconds: bigint): boolean {
  return balance.num * price.pixelsPerUnit >= seconds * price.pricePerUnit * balance.den;
}

export function negative(balance: Fraction): boolean {
  return balance.num < 0n;
}

/** Whole wei truncated toward zero, as the kernel's `Livepeer-Balance` on /process/request. */
export function wholeWei(balance: Fraction): string {
  return (balance.num / balance.den).toString();
}

export function priced(price: WirePrice | undefined): price is WirePrice {
  return price !== undefined && price.pricePerUnit > 0n;
}

/** Billed seconds for a call: ceil(elapsed), at least one (go-livepeer's chargeForCompute on a nanosecond clock). */
export function billedSeconds(elapsedMs: number): bigint {
  const ms = BigInt(Math.max(0, Math.ceil(elapsedMs)));
  const seconds = (ms + 999n) / 1000n;
  return seconds < 1n ? 1n : seconds;
}
