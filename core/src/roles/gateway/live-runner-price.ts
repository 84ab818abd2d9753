/**
 * Price ceilings of a Live Runner request, per price unit, exact: the
 * gateway's `gateway.liveRunner.maxPrice` (wei per second, per 720p
 * pixel-second, or per fixed call), the tenant's `maxPrice` (read as wei per
 * unit of whatever unit the runner bills, as the AI routes read it), and the
 * request's own `Lpx-Max-Price` header, which may only lower them. The
 * strictest wins; a runner (or a challenge) above it is never paid. A zero
 * ceiling is "no limit", as everywhere in the gateway config.
 */
import { errors, type LiveRunnerPriceUnit, type RationalPrice } from '@lpx/sdk';
import { Rational } from '../../payments/index.js';

export type LiveRunnerCeilings = Partial<Record<LiveRunnerPriceUnit, bigint>>;

export const MAX_PRICE_HEADER = 'lpx-max-price';

export function parseMaxPriceHeader(value: string | string[] | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const text = (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
  if (!/^[0-9]{1,78}$/.test(text)) throw errors.http.BAD_REQUEST.create(`${MAX_PRICE_HEADER} must be wei per unit as an integer, got ${JSON.stringify(text)}`, { details: { header: MAX_PRICE_HEADER } });
  const price = BigInt(text);
  return price > 0n ? price : undefined;
}

export interface CeilingInputs {
  readonly gateway: LiveRunnerCeilings;
  readonly tenant?: RationalPrice | undefined;
  readonly request?: bigint | undefined;
}

/** The ceiling for `unit` (wei per unit, exact), or undefined when nothing limits it. */
export function ceilingFor(unit: LiveRunnerPriceUnit, inputs: CeilingInputs): Rational | undefined {
  const limits: Rational[] = [];
  const own = inputs.gateway[unit];
  if (own !== undefined && own > 0n) limits.push(Rational.of(own));
  if (inputs.tenant !== undefined && inputs.tenant.pricePerUnit > 0n && inputs.tenant.pixelsPerUnit > 0n) limits.push(Rational.of(inputs.tenant.pricePerUnit, inputs.tenant.pixelsPerUnit));
  if (inputs.request !== undefined) limits.push(Rational.of(inputs.request));
  return limits.reduce<Rational | undefined>((low, r) => (low === undefined || r.lt(low) ? r : low), undefined);
}

export function withinCeiling(price: bigint, ceiling: Rational | undefined): boolean {
  return ceiling === undefined || Rational.of(price).lte(ceiling);
}

/** The refusal when a runner's or a challenge's price breaks the ceiling: nothing was paid. */
export function priceTooHigh(what: string, price: bigint, unit: LiveRunnerPriceUnit, ceiling: Rational): Error {
  return errors.gateway.PRICE_TOO_HIGH.create(`${what} asks ${price} wei per ${unit}, above this request's ceiling of ${ceiling.num}/${ceiling.den}`, {
    details: { price: price.toString(), unit, ceiling: `${ceiling.num}/${ceiling.den}` },
  });
}
