/**
 * The gateway's max prices (go-livepeer's -maxPricePerUnit and
 * -maxPricePerCapability) and its guard against an orchestrator that raises
 * its price mid-session. All comparisons are exact bigint cross-multiplications.
 */
import { isUsablePrice, type RationalPrice } from '@lpx/sdk';
import type { OrchestratorInfo } from '../../network/index.js';
import { priceAbove, priceFor, viewOf } from './capability-price.js';
import { gatewayErrors } from './pool-errors.js';

export interface MaxPrices {
  /** Any capability without its own entry; absent: any price is accepted. */
  readonly maxPrice?: RationalPrice;
  /** Keyed by capability id (`ai/text-to-image`) or `<capability id>#<model>`. */
  readonly maxPricePerCapability?: Readonly<Record<string, RationalPrice>>;
}

/**
 * The limit for one (capability, model): the model's own entry, else the
 * capability's (go-livepeer's `default` model), else the global max. go-livepeer
 * also falls back to the global max when the per-capability sum is 0; a zero
 * entry here is likewise "no specific limit", not "free only".
 */
export function maxPriceFor(limits: MaxPrices, capabilityId: string, model?: string): RationalPrice | undefined {
  const perCapability = limits.maxPricePerCapability ?? {};
  const candidates = [model !== undefined ? perCapability[`${capabilityId}#${model}`] : undefined, perCapability[capabilityId], limits.maxPrice];
  return candidates.find((p): p is RationalPrice => isUsablePrice(p) && p.pricePerUnit > 0n);
}

/** An unpriced orchestrator (offchain) passes: it will not ask to be paid. */
export function withinMaxPrice(price: RationalPrice | undefined, max: RationalPrice | undefined): boolean {
  return max === undefined || price === undefined || !priceAbove(price, max);
}

/** The stricter of two optional limits (a zero or unusable one is no limit). */
export function lowerOf(a: RationalPrice | undefined, b: RationalPrice | undefined): RationalPrice | undefined {
  if (a === undefined || !isUsablePrice(b) || b.pricePerUnit <= 0n) return a ?? (isUsablePrice(b) && b.pricePerUnit > 0n ? b : undefined);
  return priceAbove(a, b) ? b : a;
}

/** go-livepeer's priceIncreaseThreshold: a refreshed price may be at most this multiple of the session's first one. */
export const PRICE_INCREASE_FACTOR = 2n;

/** The price of `info` for a capability; `price_info` when none is named (a session's own price). */
export function sessionPrice(info: OrchestratorInfo, capability?: { capabilityId: string; model?: string }): RationalPrice | undefined {
  if (capability !== undefined) return priceFor(info, viewOf(info), capability.capabilityId, capability.model);
  const base = info.priceInfo;
  return base !== undefined && base.pixelsPerUnit > 0n ? { pricePerUnit: base.pricePerUnit, pixelsPerUnit: base.pixelsPerUnit } : undefined;
}

/**
 * Throws GATEWAY_PRICE_INCREASED (message carrying go-livepeer's text) when
 * the refreshed price is more than twice the initial one; returns the new
 * price otherwise. Without an initial or a new price there is nothing to compare.
 */
export function checkPriceIncrease(
  uri: string,
  initialPrice: RationalPrice | undefined,
  newInfo: OrchestratorInfo,
  capability?: { capabilityId: string; model?: string },
): RationalPrice | undefined {
  const next = sessionPrice(newInfo, capability);
  if (!isUsablePrice(initialPrice) || next === undefined) return next;
  const limit = { pricePerUnit: initialPrice.pricePerUnit * PRICE_INCREASE_FACTOR, pixelsPerUnit: initialPrice.pixelsPerUnit };
  if (priceAbove(next, limit)) {
    throw gatewayErrors.PRICE_INCREASED.create(
      `Orchestrator price has more than doubled, Orchestrator=${uri} oldPrice=${show(initialPrice)} newPrice=${show(next)}`,
      { details: { uri, initialPrice: show(initialPrice), newPrice: show(next) } },
    );
  }
  return next;
}

function show(price: RationalPrice): string {
  return `${price.pricePerUnit}/${price.pixelsPerUnit}`;
}
