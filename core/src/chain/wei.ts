import { chainErrors } from './chain-errors.js';

/** Parses a decimal wei amount ("1000000000000000000") to bigint; no floats, units or signs. */
export function parseWei(text: string, what = 'amount'): bigint {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    throw chainErrors.AMOUNT_INVALID.create(`${what} must be a whole number of wei in decimal digits, got "${text}"`, {
      details: { what, value: text },
    });
  }
  return BigInt(trimmed);
}
