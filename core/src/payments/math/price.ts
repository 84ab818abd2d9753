import { paymentErrors, refusal } from '../errors.js';
import type { PriceInfo } from '../wire/types.js';
import { Rational } from './rational.js';

const INT64_MAX = (1n << 63n) - 1n;
const PRICE_SCALE = 1000n;

/**
 * The rational price a PriceInfo stands for. Missing, negative or zero-denominator
 * prices are refused: go-livepeer refuses only a zero denominator, but a negative
 * price has no meaning and would hash differently (Go hashes |num|).
 */
export function priceFromInfo(info: PriceInfo | undefined): Rational {
  if (info === undefined) {
    throw refusal(paymentErrors.INVALID_PRICE, 'invalid expected price sent with payment err="expected price is nil"', 'invalid_price', true);
  }
  if (info.pixelsPerUnit === 0n) {
    throw refusal(paymentErrors.INVALID_PRICE, 'invalid expected price sent with payment err="pixels per unit is 0"', 'zero_price', true);
  }
  if (info.pixelsPerUnit < 0n || info.pricePerUnit < 0n) {
    throw refusal(paymentErrors.INVALID_PRICE, `invalid expected price ${info.pricePerUnit}/${info.pixelsPerUnit}: negative`, 'invalid_price', true);
  }
  return Rational.of(info.pricePerUnit, info.pixelsPerUnit);
}

/** The reduced (num, den) a price goes on the wire as; both must fit int64. */
export function priceToInfo(price: Rational): PriceInfo {
  if (price.num < 0n || price.num > INT64_MAX || price.den > INT64_MAX) {
    throw new RangeError(`price ${price.toString()} does not fit PriceInfo's int64 fields`);
  }
  return { pricePerUnit: price.num, pixelsPerUnit: price.den };
}

/** Fee for work: price × units, exact. */
export function feeFor(price: Rational, units: bigint): Rational {
  return price.mulInt(units);
}

/** Truncates toward zero to three decimals (go-livepeer's fixed-point price form). */
export function truncateToMilli(price: Rational): Rational {
  return Rational.of(price.mulInt(PRICE_SCALE).trunc(), PRICE_SCALE);
}

/**
 * go-livepeer's automatic price adjustment: base × (1 + 1/txCostMultiplier) so the
 * redemption gas is recovered, truncated to three decimals. A zero base or a zero
 * multiplier leaves the base price (still truncated) alone.
 */
export function autoAdjustPrice(basePrice: Rational, txCostMultiplier: Rational): Rational {
  let overhead = Rational.ONE;
  if (basePrice.sign() > 0 && txCostMultiplier.sign() > 0) overhead = overhead.add(txCostMultiplier.inv());
  return truncateToMilli(basePrice.mul(overhead));
}
