/**
 * Price ceilings of an AI request, exact: the request's own
 * `maxPricePerUnit` ("num/den" or "num" wei per unit) and the tenant's,
 * combined with the gateway's per-(capability, model) limits in the pool.
 */
import { errors, isUsablePrice, priceAtMost, type RationalPrice } from '@lpx/sdk';

const PRICE = /^(0|[1-9][0-9]*)(?:\/([1-9][0-9]*))?$/;

export function parseMaxPricePerUnit(text: string | undefined): RationalPrice | undefined {
  if (text === undefined) return undefined;
  const match = PRICE.exec(text.trim());
  if (match === null) throw errors.ai.REQUEST_INVALID.create(`maxPricePerUnit must be wei per unit as "num" or "num/den" (integers), got ${JSON.stringify(text)}`, { details: { field: 'maxPricePerUnit' } });
  return { pricePerUnit: BigInt(match[1]!), pixelsPerUnit: BigInt(match[2] ?? '1') };
}

/** The stricter of two optional ceilings; a zero ceiling is "no limit", as in the gateway config. */
export function stricterPrice(a: RationalPrice | undefined, b: RationalPrice | undefined): RationalPrice | undefined {
  const usable = (p: RationalPrice | undefined): p is RationalPrice => isUsablePrice(p) && p.pricePerUnit > 0n;
  if (!usable(a)) return usable(b) ? b : undefined;
  if (!usable(b)) return a;
  return priceAtMost(a, b) ? a : b;
}

export function showPrice(price: RationalPrice): string {
  return price.pixelsPerUnit === 1n ? `${price.pricePerUnit}` : `${price.pricePerUnit}/${price.pixelsPerUnit}`;
}
